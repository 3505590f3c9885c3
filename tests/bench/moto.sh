# Sourced by the publishing benchmarks: starts moto's S3 server on a free port of 127.0.0.1
# (logging to $1/moto.log, stopped when the script exits), points the AWS SDKs at it with
# throwaway credentials and makes the bucket `bench`.
start_moto() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$port" >"$1/moto.log" 2>&1 &
  moto=$!
  trap 'kill $moto 2>/dev/null || true' EXIT
  until curl -s "http://127.0.0.1:$port" >/dev/null; do sleep 0.2; done
  export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  export AWS_ENDPOINT_URL=http://127.0.0.1:$port CI=true
  curl -s -X PUT "$AWS_ENDPOINT_URL/bench" >/dev/null
}
