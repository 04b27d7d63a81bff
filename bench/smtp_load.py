#!/usr/bin/env python3
"""Inbound mail throughput over SMTP: how fast Casebook acknowledges (stores) typical 20 KB messages,
how fast its job runner turns them into cases, and what one 25 MB message costs.

Usage: bench/smtp_load.py --binary .build/release/casebook [--messages 2000] [--connections 8]
Starts its own `casebook serve` on a scratch data directory (SQLite unless CASEBOOK_DATABASE_URL is set).
"""
import argparse
import base64
import os
import shutil
import smtplib
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def message(n: int, size: int) -> bytes:
    body = ("Our scanner on floor %d stopped sending to email after the firmware update. " % (n % 9)) * 8
    payload = base64.encodebytes(os.urandom(max(0, size - 2500) * 3 // 4)).decode()
    return (
        f"From: Person {n} <p{n % 500}@customer{n % 50}.example>\r\n"
        f"To: support@cb.example\r\nSubject: Scanner problem {n}\r\nMessage-ID: <bench-{n}-{uuid.uuid4()}@customer.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        f"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        f"--b\r\nContent-Type: application/octet-stream; name=\"log{n}.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{payload}\r\n--b--\r\n"
    ).encode()


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/casebook")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--store-only", action="store_true", help="job runner off: measure parse-and-store alone")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="casebook-smtp-bench-")
    http, smtp = free_port(), free_port()
    env = dict(os.environ, CASEBOOK_DATA_DIR=data, CASEBOOK_PORT=str(http), CASEBOOK_SMTP_PORT=str(smtp),
               CASEBOOK_SMTP_RECIPIENTS="support@cb.example", CASEBOOK_LOG_LEVEL="error", CASEBOOK_MAIL_TRANSPORT="none",
               CASEBOOK_JOBS="false" if args.store_only else "true")
    subprocess.run([args.binary, "user", "add", "--email", "admin@cb.example", "--name", "Admin", "--role", "admin"],
                   env=env, check=True, capture_output=True)
    server = subprocess.Popen([args.binary, "serve"], env=env)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{http}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        messages = [message(n, args.size) for n in range(args.messages)]
        shares = [messages[i::args.connections] for i in range(args.connections)]

        def send(share):
            with smtplib.SMTP("127.0.0.1", smtp, timeout=60) as client:
                for raw in share:
                    client.sendmail("sender@customer.example", ["support@cb.example"], raw)

        start = time.time()
        threads = [threading.Thread(target=send, args=(share,)) for share in shares]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        accepted = time.time() - start
        database = os.path.join(data, "casebook.sqlite")
        if args.store_only:
            print(f"{args.messages} messages of ~{args.size // 1000} KB over {args.connections} SMTP connections, job runner off")
            print(f"  stored and acknowledged (250): {args.messages / accepted:8.1f} msg/s ({accepted:.1f} s)")
            return
        while True:
            with sqlite3.connect(database) as connection:
                done = connection.execute("SELECT COUNT(*) FROM inbound_messages WHERE status <> 'received'").fetchone()[0]
            if done >= args.messages or time.time() - start > 600:
                break
            time.sleep(0.1)
        processed = time.time() - start
        print(f"{args.messages} messages of ~{args.size // 1000} KB over {args.connections} SMTP connections")
        print(f"  stored and acknowledged (250): {args.messages / accepted:8.1f} msg/s ({accepted:.1f} s)")
        print(f"  applied (cases opened):        {done / processed:8.1f} msg/s ({processed:.1f} s, {done} applied)")

        big = message(10**6, 25_000_000)
        start = time.time()
        with smtplib.SMTP("127.0.0.1", smtp, timeout=300) as client:
            client.sendmail("sender@customer.example", ["support@cb.example"], big)
        stored = time.time() - start
        while True:
            with sqlite3.connect(database) as connection:
                left = connection.execute("SELECT COUNT(*) FROM inbound_messages WHERE status = 'received'").fetchone()[0]
            if left == 0 or time.time() - start > 600:
                break
            time.sleep(0.05)
        applied = time.time() - start
        print(f"one {len(big) / 1e6:.1f} MB message: stored in {stored:.2f} s, applied in {applied:.2f} s; server peak RSS {peak_rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
