module github.com/brightwave/ledger-service

go 1.23

require (
	github.com/brightwave/bw-logging-go v1.8.0
	github.com/jackc/pgx/v5 v5.7.1
	google.golang.org/grpc v1.67.1
	google.golang.org/protobuf v1.35.1
)
