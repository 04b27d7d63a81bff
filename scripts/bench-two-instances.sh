#!/usr/bin/env bash
# Creation, fetch and search with one Casebook instance, then two on the same PostgreSQL schema behind HAProxy, in one
# run on loopback (BENCHMARKS.md, session 40).
#
#   CASEBOOK_BENCH_PG_URL=postgres://USER@127.0.0.1:5432/DB scripts/bench-two-instances.sh [CASES]
#
# Needs a PostgreSQL database the user may create schemas in, HAProxy (Debian's haproxy) and curl; builds Casebook in
# release mode. Each instance has its own data folder; the balancer uses tests/integration/cluster/haproxy.cfg.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CASEBOOK_BENCH_PG_URL:?set CASEBOOK_BENCH_PG_URL to a PostgreSQL database URL}"
CASES="${1:-5000}"
swift build -c release --product casebook >/dev/null
BIN="$(swift build -c release --show-bin-path)/casebook"
WORK=$(mktemp -d /tmp/casebook-two.XXXXXX)
export CASEBOOK_DATABASE_URL="$CASEBOOK_BENCH_PG_URL" CASEBOOK_DATABASE_SCHEMA="two_$(date +%s)"
export CASEBOOK_BCRYPT_COST=4 CASEBOOK_LOG_LEVEL=warning CASEBOOK_SMTP_RECIPIENTS=support@cb.example
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start() {  # name, http port
    mkdir -p "$WORK/$1"
    CASEBOOK_DATA_DIR="$WORK/$1" CASEBOOK_PORT=$2 CASEBOOK_SMTP_PORT=$(free_port) "$BIN" serve >"$WORK/$1.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 150); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.2; done
    echo "instance $1 did not start: $WORK/$1.log" >&2; exit 1
}

A=$(free_port); B=$(free_port); FRONT=$(free_port)
start a "$A"  # the first instance migrates the schema
CASEBOOK_DATA_DIR="$WORK/a" "$BIN" user add --email admin@cb.example --name Admin --role admin --password-stdin \
    <<< "a-long-admin-password" >/dev/null
TOKEN=$(CASEBOOK_DATA_DIR="$WORK/a" "$BIN" token issue --email admin@cb.example | awk '{print $NF}')
start b "$B"
sed -e "s/{port}/$FRONT/" -e "s/{servers}/    server a 127.0.0.1:$A check\n    server b 127.0.0.1:$B check/" \
    tests/integration/cluster/haproxy.cfg > "$WORK/haproxy.cfg"
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
sleep 2

echo "== one instance"
"$BIN" bench http --base-url "http://127.0.0.1:$A" --token "$TOKEN" --fill-to "$CASES" --label one-instance --out "$WORK/one.json"
echo "== two instances behind HAProxy"
"$BIN" bench http --base-url "http://127.0.0.1:$FRONT" --token "$TOKEN" --fill-to "$CASES" --label two-instances --out "$WORK/two.json"
echo "figures and logs: $WORK (schema $CASEBOOK_DATABASE_SCHEMA)"
