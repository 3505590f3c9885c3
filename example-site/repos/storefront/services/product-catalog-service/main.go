package main

import "log"

func main() {
	log.Println("product-catalog-service: see README")
}
