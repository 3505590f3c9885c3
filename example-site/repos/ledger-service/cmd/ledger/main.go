package main

import (
	"log"
	"net"

	"google.golang.org/grpc"
)

func main() {
	lis, err := net.Listen("tcp", ":9090")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	srv := grpc.NewServer()
	// ledgerv1.RegisterLedgerServiceServer(srv, newServer())
	log.Fatal(srv.Serve(lis))
}
