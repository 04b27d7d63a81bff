#!/usr/bin/env python3
"""Sends one RFC 822 message from standard input to an SMTP server on loopback (a `--mail-cmd` for
../shared/peers/rt/bench.py, so Casebook's listener is measured the way rt-mailgate is)."""
import smtplib
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 2525
raw = sys.stdin.buffer.read()
with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
    client.sendmail("sender@customer.example", ["support@cb.example"], raw)
