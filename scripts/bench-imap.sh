#!/usr/bin/env bash
# Mailbox fetching: a throwaway Dovecot on loopback is filled with N messages (distinct senders and subjects, delivered
# into its Maildir as a delivery agent would), then `casebook bench imap` fetches them all over IMAPS (and, with
# --pop3, over POP3S) into a scratch database, each stored and applied as a case.
#
#   scripts/bench-imap.sh [N] [--pop3]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
shift || true
swift build -c release --product casebook >/dev/null
BIN="$(swift build -c release --show-bin-path)/casebook"
dir=$(mktemp -d /tmp/casebook-imap-bench.XXXXXX)
chmod 755 "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'bash tests/integration/imap/dovecot.sh stop "$dir/mail"; rm -rf "$dir"' EXIT
bash tests/integration/imap/dovecot.sh start "$dir/mail" "$port"
python3 - "$dir/mail/mail/support" "$count" <<'PY'
import os, sys, uuid
box, count = sys.argv[1], int(sys.argv[2])
owner = os.stat(box)
for i in range(count):
    name = f"{i}.{uuid.uuid4().hex}.bench"
    body = (f"From: Customer {i} <customer{i}@client{i % 97}.example>\r\nTo: support@cb.example\r\nSubject: Request {i}: printer on floor {i % 9}\r\n"
            f"Message-ID: <{uuid.uuid4().hex}@client.example>\r\nDate: Fri, 04 Dec 2026 09:00:00 +0000\r\n\r\n"
            + "The printer shows an error and stops after a few pages. We restarted it twice.\r\n" * 20)
    path = os.path.join(box, "tmp", name)
    with open(path, "w") as f:
        f.write(body)
    os.chown(path, owner.st_uid, owner.st_gid)
    os.rename(path, os.path.join(box, "new", name))
PY
if [ "${1:-}" = --pop3 ]; then
    "$BIN" bench imap --port $((port + 2)) --pop3 --user support --password mail-secret --ca "$dir/mail/ca.pem"
else
    "$BIN" bench imap --port $((port + 1)) --user support --password mail-secret --ca "$dir/mail/ca.pem"
fi
