package main

import "net/http"

func main() {
	http.HandleFunc("/v2/events", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	_ = http.ListenAndServe(":8080", nil)
}
