module github.com/brightwave/bw-logging-go

go 1.23

require go.opentelemetry.io/otel v1.31.0
