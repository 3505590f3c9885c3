//! Code samples for the docs and API definitions for the catalog, as templates with
//! `@key@` placeholders (see `fill`). `{`/`}` stay literal, so code reads naturally here.

/// (fence language, tab label, templates).
pub const CODE: &[(&str, &str, &[&str])] = &[
    (
        "rust",
        "Rust",
        &[
            r##"use std::time::Duration;

/// Retries a call to @repo@ with exponential back-off.
pub async fn with_retry<T, F, Fut>(mut call: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut delay = Duration::from_millis(@ms@);
    for attempt in 1..=@k@ {
        match call().await {
            Ok(value) => return Ok(value),
            Err(e) if attempt < @k@ => {
                tracing::warn!(attempt, error = %e, "retrying @snake@ call");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            Err(e) => return Err(e),
        }
    }
    unreachable!("the loop returns on the last attempt")
}"##,
            r##"#[derive(Debug, serde::Deserialize)]
pub struct @Pascal@Config {
    pub listen_addr: String,
    pub pool_size: u32,
    #[serde(default = "default_timeout_ms")]
    pub request_timeout_ms: u64,
}

fn default_timeout_ms() -> u64 {
    @ms@
}

impl @Pascal@Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let raw = std::env::var("@SHOUT@_CONFIG")?;
        Ok(serde_json::from_str(&raw)?)
    }
}"##,
        ],
    ),
    (
        "python",
        "Python",
        &[
            r##"import logging

import httpx

log = logging.getLogger("@snake@")


def fetch_@snake@(client: httpx.Client, item_id: str, retries: int = @k@) -> dict:
    """Fetch one item from @repo@, retrying transient errors."""
    for attempt in range(1, retries + 1):
        response = client.get(f"/v1/items/{item_id}", timeout=@sec@)
        if response.status_code < 500:
            response.raise_for_status()
            return response.json()
        log.warning("attempt %d failed with %d", attempt, response.status_code)
    raise RuntimeError(f"{item_id}: giving up after {retries} attempts")"##,
            r##"from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class LatencyBudget:
    name: str
    p50: timedelta
    p99: timedelta

    def exceeded(self, observed_ms: float) -> bool:
        return observed_ms > self.p99.total_seconds() * 1000


BUDGETS = [
    LatencyBudget("@snake@-read", timedelta(milliseconds=@k@0), timedelta(milliseconds=@ms@)),
    LatencyBudget("@snake@-write", timedelta(milliseconds=@k@5), timedelta(milliseconds=@ms2@)),
]"##,
        ],
    ),
    (
        "go",
        "Go",
        &[
            r##"package @flat@

import (
	"context"
	"fmt"
	"time"
)

// Client talks to the @repo@ API.
type Client struct {
	baseURL string
	timeout time.Duration
}

// New returns a client with a @ms@ms timeout.
func New(baseURL string) *Client {
	return &Client{baseURL: baseURL, timeout: @ms@ * time.Millisecond}
}

// Get fetches one resource by id.
func (c *Client) Get(ctx context.Context, id string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if id == "" {
		return "", fmt.Errorf("@flat@: empty id")
	}
	return fmt.Sprintf("%s/v1/items/%s", c.baseURL, id), ctx.Err()
}"##,
            r##"func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() {
		requestLatency.WithLabelValues("@snake@").Observe(time.Since(start).Seconds())
	}()
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
}"##,
        ],
    ),
    (
        "typescript",
        "TypeScript",
        &[
            r##"export interface @Pascal@Event {
  id: string;
  occurredAt: string;
  amountMinor: number;
  currency: 'EUR' | 'USD' | 'GBP';
}

export async function publish(event: @Pascal@Event): Promise<void> {
  const res = await fetch('https://@repo@.internal.genorg.example/v1/events', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(event),
  });
  if (!res.ok) {
    throw new Error(`publish failed: ${res.status}`);
  }
}"##,
            r##"import { useQuery } from '@tanstack/react-query';

export function use@Pascal@(id: string) {
  return useQuery({
    queryKey: ['@snake@', id],
    queryFn: async () => {
      const res = await fetch(`/api/@repo@/${id}`);
      return res.json();
    },
    staleTime: @ms@,
  });
}"##,
        ],
    ),
    (
        "yaml",
        "YAML",
        &[
            r##"apiVersion: apps/v1
kind: Deployment
metadata:
  name: @repo@
  labels:
    app: @repo@
spec:
  replicas: @k@
  selector:
    matchLabels:
      app: @repo@
  template:
    metadata:
      labels:
        app: @repo@
    spec:
      containers:
        - name: @repo@
          image: registry.genorg.example/@repo@:1.@k@.0
          ports:
            - containerPort: @port@
          resources:
            limits:
              memory: 512Mi"##,
            r##"alerts:
  - name: @snake@_high_latency
    expr: histogram_quantile(0.99, rate(http_request_duration_seconds_bucket{service="@repo@"}[5m])) > @sec@
    for: @k@m
    labels:
      severity: page
  - name: @snake@_error_rate
    expr: rate(http_requests_total{service="@repo@",code=~"5.."}[5m]) > 0.05
    for: 10m"##,
        ],
    ),
    (
        "json",
        "JSON",
        &[
            r##"{
  "service": "@repo@",
  "region": "eu-west-1",
  "pool_size": @k@,
  "request_timeout_ms": @ms@,
  "features": {
    "payments_v2": true,
    "shadow_mode": false
  }
}"##,
            r##"{
  "id": "evt_@num@",
  "type": "@snake@.updated",
  "occurred_at": "2024-03-01T12:00:00Z",
  "data": {
    "amount_minor": @num@,
    "currency": "EUR",
    "status": "captured"
  }
}"##,
        ],
    ),
    (
        "sql",
        "SQL",
        &[
            r##"CREATE TABLE @snake@_events (
    id           BIGSERIAL PRIMARY KEY,
    aggregate_id UUID        NOT NULL,
    kind         TEXT        NOT NULL,
    payload      JSONB       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX @snake@_events_aggregate_idx ON @snake@_events (aggregate_id, created_at);"##,
            r##"SELECT date_trunc('hour', created_at) AS hour,
       count(*)                         AS events,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99_latency_ms
FROM @snake@_requests
WHERE created_at > now() - interval '@k@ days'
GROUP BY 1
ORDER BY 1 DESC
LIMIT @num@;"##,
        ],
    ),
    (
        "bash",
        "Shell",
        &[
            r##"#!/usr/bin/env bash
set -euo pipefail

# Roll @repo@ back to the previous release.
previous=$(kubectl -n @repo@ rollout history deploy/@repo@ | tail -2 | head -1 | awk '{print $1}')
kubectl -n @repo@ rollout undo deploy/@repo@ --to-revision="$previous"
kubectl -n @repo@ rollout status deploy/@repo@ --timeout=@k@m"##,
            r##"git clone git@github.com:genorg/@repo@.git
cd @repo@
make bootstrap
docker compose up -d postgres kafka
make test"##,
        ],
    ),
    (
        "kotlin",
        "Kotlin",
        &[
            r##"@Service
class @Pascal@Service(
    private val repository: @Pascal@Repository,
    private val events: EventPublisher,
) {
    @Transactional
    fun capture(id: UUID, amountMinor: Long): @Pascal@ {
        val item = repository.findById(id) ?: throw NotFoundException(id)
        require(amountMinor <= item.authorisedMinor) { "amount exceeds authorisation" }
        val captured = item.copy(status = Status.CAPTURED, capturedMinor = amountMinor)
        events.publish(@Pascal@Captured(id, amountMinor))
        return repository.save(captured)
    }
}"##,
            r##"data class @Pascal@Settings(
    val poolSize: Int = @k@,
    val timeout: Duration = Duration.ofMillis(@ms@),
    val region: String = "eu-west-1",
)"##,
        ],
    ),
    (
        "hcl",
        "Terraform",
        &[
            r##"module "@snake@_db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name           = "@repo@"
  engine         = "aurora-postgresql"
  engine_version = "16.2"
  instance_class = "db.r6g.large"
  instances      = { one = {}, two = {} }

  tags = {
    service = "@repo@"
    owner   = "@team@"
  }
}"##,
            r##"resource "aws_sqs_queue" "@snake@_dlq" {
  name                      = "@repo@-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "@snake@" {
  name                       = "@repo@"
  visibility_timeout_seconds = @k@0
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.@snake@_dlq.arn
    maxReceiveCount     = @k@
  })
}"##,
        ],
    ),
];

pub const OPENAPI: &str = r##"openapi: 3.0.3
info:
  title: @Title@ API
  version: 1.@k@.0
  description: REST API of @repo@.
servers:
  - url: https://api.genorg.example/@repo@
paths:
  /v1/items:
    get:
      summary: List items
      operationId: list@Pascal@Items
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
            maximum: 100
      responses:
        "200":
          description: A page of items.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: "#/components/schemas/Item"
  /v1/items/{id}:
    get:
      summary: Get one item
      operationId: get@Pascal@Item
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Item"
        "404":
          description: No such item.
components:
  schemas:
    Item:
      type: object
      required: [id, status]
      properties:
        id:
          type: string
        status:
          type: string
          enum: [pending, active, closed]
        amount_minor:
          type: integer
"##;

pub const ASYNCAPI: &str = r##"asyncapi: 2.6.0
info:
  title: @Title@ events
  version: 1.@k@.0
  description: Events published by @repo@.
channels:
  @snake@.events.v1:
    subscribe:
      operationId: on@Pascal@Event
      message:
        name: @Pascal@Changed
        payload:
          type: object
          required: [id, type, occurred_at]
          properties:
            id:
              type: string
            type:
              type: string
              enum: [created, updated, deleted]
            occurred_at:
              type: string
              format: date-time
"##;

pub const GRAPHQL: &str = r##"type Query {
  @camel@(id: ID!): @Pascal@
  @camel@s(first: Int = 20, after: String): @Pascal@Connection!
}

type @Pascal@ {
  id: ID!
  name: String!
  status: Status!
  createdAt: String!
}

enum Status {
  PENDING
  ACTIVE
  CLOSED
}

type @Pascal@Connection {
  nodes: [@Pascal@!]!
  endCursor: String
}
"##;

pub const GRPC: &str = r##"syntax = "proto3";

package genorg.@flat@.v1;

service @Pascal@Service {
  rpc Get@Pascal@(Get@Pascal@Request) returns (@Pascal@);
  rpc List@Pascal@s(List@Pascal@sRequest) returns (List@Pascal@sResponse);
}

message @Pascal@ {
  string id = 1;
  string name = 2;
  int64 amount_minor = 3;
}

message Get@Pascal@Request {
  string id = 1;
}

message List@Pascal@sRequest {
  int32 page_size = 1;
  string page_token = 2;
}

message List@Pascal@sResponse {
  repeated @Pascal@ items = 1;
  string next_page_token = 2;
}
"##;

/// Replaces each `@key@` whose key `lookup` knows; everything else (e.g. `@Service`,
/// `git@github.com`) is kept as written.
pub fn fill(template: &str, mut lookup: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let key_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if key_len > 0
            && after[key_len..].starts_with('@')
            && let Some(value) = lookup(&after[..key_len])
        {
            out.push_str(&value);
            rest = &after[key_len + 1..];
            continue;
        }
        out.push('@');
        rest = after;
    }
    out.push_str(rest);
    out
}
