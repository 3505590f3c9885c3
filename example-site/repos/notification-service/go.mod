module github.com/brightwave/notification-service

go 1.23

require github.com/brightwave/bw-logging-go v1.8.0
