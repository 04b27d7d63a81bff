"""SIGTERM on a real `casebook serve`: the health check says "stopping" while everything is still served, then the
instance stops accepting, finishes the HTTP request and the SMTP transaction it was in the middle of, and exits 0;
what it acknowledged is there after the restart."""
import http.client
import json
import signal
import smtplib
import socket
import time
import urllib.error
import urllib.request
import uuid
from email.message import EmailMessage


def refuses(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except OSError:
        return True


def health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_sigterm_finishes_what_is_in_flight_and_exits_cleanly(casebook_factory):
    instance = casebook_factory(CASEBOOK_STOP_DRAIN_SECONDS="1", CASEBOOK_STOP_GRACE_SECONDS="20")
    token = instance.admin_token()
    instance.start()
    marker = uuid.uuid4().hex[:8]

    # A create whose body is half sent when the signal arrives.
    body = json.dumps({"subject": f"Half-sent create {marker}", "description": "The scanner jams. " * 2_000}).encode()
    slow = http.client.HTTPConnection("127.0.0.1", instance.http_port, timeout=30)
    slow.putrequest("POST", "/api/v1/cases")
    for name, value in [("Authorization", f"Bearer {token}"), ("Content-Type", "application/json"),
                        ("Content-Length", str(len(body)))]:
        slow.putheader(name, value)
    slow.endheaders()
    slow.send(body[: len(body) // 2])

    # A mail whose DATA is half sent when the signal arrives.
    mail = EmailMessage()
    mail["From"] = "Dana <dana@acme.example>"
    mail["To"] = "support@cb.example"
    mail["Subject"] = f"Half-sent mail {marker}"
    mail["Message-ID"] = f"<{uuid.uuid4()}@acme.example>"
    mail.set_content("The badge reader on floor 2 is offline.\n" * 200)
    raw = mail.as_bytes().replace(b"\n", b"\r\n")
    smtp = smtplib.SMTP("127.0.0.1", instance.smtp_port, timeout=30)
    smtp.ehlo("mx.acme.example")
    assert smtp.mail("dana@acme.example")[0] == 250
    assert smtp.rcpt("support@cb.example")[0] == 250
    assert smtp.docmd("DATA")[0] == 354
    smtp.send(raw[: len(raw) // 2])

    began = time.time()
    instance.process.send_signal(signal.SIGTERM)

    # Draining: the health check sends balancers elsewhere, but the instance still answers everything.
    time.sleep(0.2)
    status, said = health(instance.http_port)
    assert (status, said["status"]) == (503, "stopping")
    assert instance.api("/me")["role"] == "admin"
    assert not refuses(instance.smtp_port), "mail is still taken while draining"

    # After the drain it takes no new HTTP connection, yet the request in flight finishes.
    instance.wait_for(lambda: refuses(instance.http_port), timeout=10)
    assert time.time() - began >= 0.9, "not before the drain ended"
    assert instance.process.poll() is None, "it waits for the request in flight"
    slow.send(body[len(body) // 2:])
    answer = slow.getresponse()
    assert answer.status == 201, answer.read()
    reference = json.loads(answer.read())["reference"]

    # Then the SMTP listener takes no new connection, yet the transaction under way is answered 250, then 421.
    instance.wait_for(lambda: refuses(instance.smtp_port), timeout=10)
    assert instance.process.poll() is None, "it waits for the SMTP transaction in flight"
    smtp.send(raw[len(raw) // 2:] + b"\r\n.\r\n")
    code, _ = smtp.getreply()
    assert code == 250
    try:
        code = smtp.docmd("NOOP")[0]
    except smtplib.SMTPServerDisconnected:
        code = 421
    assert code == 421
    smtp.close()

    assert instance.process.wait(timeout=20) == 0

    # Both acknowledged writes are there after a restart.
    instance.start()
    assert instance.api(f"/cases/{reference}")["subject"] == f"Half-sent create {marker}"
    instance.wait_for(lambda: any(case["subject"] == f"Half-sent mail {marker}"
                                  for case in instance.api("/cases?limit=100")["items"]))
