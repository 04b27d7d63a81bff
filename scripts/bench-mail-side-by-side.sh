#!/usr/bin/env bash
# Mail intake, Casebook's SMTP listener against RT 5's rt-mailgate, with the same generator in one run.
#
#   scripts/bench-mail-side-by-side.sh [OUT_DIR]
#
# Both get the same messages from ../shared/peers/rt/bench.py's mail phases (one client, then
# several): Casebook through its SMTP listener (bench/smtp_send.py as the mail command), RT through
# rt-mailgate into its General queue. Figures land in OUT_DIR as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-bench-results}"
PEERS="${CASEBOOK_PEERS:-../shared/peers/rt}"
MAIL=(--phases mail --mail-seq "${MAIL_SEQ:-200}" --mail-conc "${MAIL_CONC:-400}" --clients 4)
mkdir -p "$OUT"
swift build -c release --product casebook >/dev/null
BIN="$(swift build -c release --show-bin-path)/casebook"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

dir=$(mktemp -d /tmp/casebook-mail-bench.XXXXXX)
http=$(free_port); smtp=$(free_port)
export CASEBOOK_DATA_DIR="$dir" CASEBOOK_PORT="$http" CASEBOOK_SMTP_PORT="$smtp" CASEBOOK_SMTP_RECIPIENTS=support@cb.example \
       CASEBOOK_MAIL_TRANSPORT=none CASEBOOK_LOG_LEVEL=warning
echo "bench-password-1" | "$BIN" user add --email bench@cb.example --name Bench --role admin --password-stdin >/dev/null
"$BIN" token issue --email bench@cb.example > "$dir/token"
"$BIN" serve > "$dir/serve.log" 2>&1 & echo $! > "$dir/pid"
sleep 3
python3 "$PEERS/bench.py" --base-url "http://127.0.0.1:$http" --adapter casebook --adapter-file bench/casebook_adapter.py \
    --auth token --token-file "$dir/token" --server-pidfile "$dir/pid" --label casebook-smtp \
    --mail-cmd "python3 bench/smtp_send.py $smtp" "${MAIL[@]}" --out "$OUT/casebook-mail.json"
kill "$(cat "$dir/pid")"
unset CASEBOOK_DATA_DIR CASEBOOK_PORT CASEBOOK_SMTP_PORT CASEBOOK_SMTP_RECIPIENTS CASEBOOK_MAIL_TRANSPORT
rm -rf "$dir"

bash "$PEERS/setup.sh" >/dev/null
bash "$PEERS/start.sh" >/dev/null
python3 "$PEERS/bench.py" --base-url http://127.0.0.1:8085 --adapter rt --auth session \
    --server-pidfile /tmp/rt-bench/run/rt-server.pid --server-pidfile /tmp/rt-bench/pgdata/postmaster.pid --label rt-mailgate \
    --mail-cmd 'rt-mailgate --queue General --action correspond --url {base}/' "${MAIL[@]}" --out "$OUT/rt-mail.json"
bash "$PEERS/stop.sh" >/dev/null
echo "figures in $OUT/"
