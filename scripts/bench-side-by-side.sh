#!/usr/bin/env bash
# Measures Casebook and Request Tracker 5 with the same load generator in one run, on loopback.
#
#   scripts/bench-side-by-side.sh [OUT_DIR]
#
# Needs ../shared/peers/rt (RT 5 from Debian's package, started by its own scripts) and a release
# build of Casebook (built here). Casebook runs on a fresh SQLite file; pass CASEBOOK_BENCH_PG_URL
# to also measure it on PostgreSQL. Figures land in OUT_DIR as JSON, one file per system.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-bench-results}"
PEERS="${CASEBOOK_PEERS:-../shared/peers/rt}"
mkdir -p "$OUT"
swift build -c release --product casebook >/dev/null
BIN="$(swift build -c release --show-bin-path)/casebook"
PHASES=(--create-seq 200 --create-conc 400 --fetch-seq 300 --fetch-conc 600 --search-reps 30 --phases create,fetch,search)

run_casebook() {  # label, extra environment
    local label=$1; shift
    local dir; dir=$(mktemp -d /tmp/casebook-bench.XXXXXX)
    local port; port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    ( cd "$dir" && env "$@" CASEBOOK_LOG_LEVEL=warning "$BIN" migrate >/dev/null
      echo "bench-password-1" | env "$@" "$BIN" user add --email bench@cb.example --name Bench --role admin --password-stdin >/dev/null
      env "$@" "$BIN" token issue --email bench@cb.example > token
      env "$@" CASEBOOK_LOG_LEVEL=warning "$BIN" serve --port "$port" > serve.log 2>&1 & echo $! > pid )
    sleep 2
    python3 "$PEERS/bench.py" --base-url "http://127.0.0.1:$port" --adapter casebook --adapter-file bench/casebook_adapter.py \
        --auth token --token-file "$dir/token" --server-pidfile "$dir/pid" --label "casebook-$label" "${PHASES[@]}" \
        --out "$OUT/casebook-$label.json"
    "$BIN" bench --base-url "http://127.0.0.1:$port" --token "$(cat "$dir/token")" --fill-to "${CASEBOOK_BENCH_FILL:-100000}" \
        --seconds 10 --server-pid "$(cat "$dir/pid")" --label "$label" --out "$OUT/casebook-native-$label.json"
    kill "$(cat "$dir/pid")"
    rm -rf "$dir"
}

run_casebook sqlite
if [ -n "${CASEBOOK_BENCH_PG_URL:-}" ]; then
    run_casebook postgres "CASEBOOK_DATABASE_URL=$CASEBOOK_BENCH_PG_URL" "CASEBOOK_DATABASE_SCHEMA=bench_$(date +%s)"
fi

bash "$PEERS/setup.sh" >/dev/null
bash "$PEERS/start.sh" >/dev/null
# RT's REST2 refuses a session's writes without a Referer; bench/rt_session_adapter.py sends RT's own.
python3 "$PEERS/bench.py" --base-url http://127.0.0.1:8085 --adapter rt-session --adapter-file bench/rt_session_adapter.py --auth session \
    --server-pidfile /tmp/rt-bench/run/rt-server.pid --server-pidfile /tmp/rt-bench/pgdata/postmaster.pid \
    --label rt "${PHASES[@]}" --out "$OUT/rt.json"
bash "$PEERS/stop.sh" >/dev/null
echo "figures in $OUT/"
