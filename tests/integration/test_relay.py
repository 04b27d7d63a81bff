"""Outbound mail through a real SMTP relay that requires authentication (aiosmtpd)."""
import email
import json
import threading
import urllib.request

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from conftest import free_port  # noqa: E402


class Inbox:
    def __init__(self):
        self.messages = []
        self.logins = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content, session.authenticated))
        self.arrived.set()
        return "250 OK"


def open_case_as_customer(casebook, subject: str) -> str:
    """Adds Carla, starts the server and opens a case as her (which sends her an acknowledgement)."""
    casebook.cli("user", "add", "--email", "carla@acme.example", "--name", "Carla", "--role", "customer")
    carla = casebook.cli("token", "issue", "--email", "carla@acme.example").split()[-1]
    casebook.start()
    request = urllib.request.Request(f"http://127.0.0.1:{casebook.http_port}/api/v1/cases", method="POST",
                                     data=json.dumps({"subject": subject, "description": "Door 4"}).encode(),
                                     headers={"Authorization": f"Bearer {carla}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["reference"]


def authenticator(inbox):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"desk" and auth_data.password == b"relay-secret"
        inbox.logins.append((mechanism, ok))
        return AuthResult(success=ok)
    return check


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_acknowledgement_goes_out_through_an_authenticating_relay(casebook_factory, mechanism):
    inbox = Inbox()
    port = free_port()
    relay = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator(inbox), auth_required=True,
                       auth_require_tls=False, auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN") if m != mechanism])
    relay.start()
    try:
        casebook = casebook_factory(CASEBOOK_MAIL_TRANSPORT="smtp", CASEBOOK_RELAY_HOST="127.0.0.1", CASEBOOK_RELAY_PORT=str(port),
                                    CASEBOOK_RELAY_STARTTLS="off", CASEBOOK_RELAY_USERNAME="desk", CASEBOOK_RELAY_PASSWORD="relay-secret",
                                    CASEBOOK_MAIL_FROM="help@cb.example")
        reference = open_case_as_customer(casebook, "Badge reader broken")
        assert inbox.arrived.wait(30), "the acknowledgement reached the relay"
        sender, recipients, content, authenticated = inbox.messages[0]
        assert authenticated and inbox.logins == [(mechanism, True)]
        assert sender == "help@cb.example" and recipients == ["carla@acme.example"]
        message = email.message_from_bytes(content)
        assert message["Subject"] == f"[{reference}] Badge reader broken"
        assert message["Auto-Submitted"] == "auto-generated" and message["X-Loop"] == "help@cb.example"
        assert message.is_multipart() and [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]
        sent = casebook.wait_for(lambda: [m for m in casebook.api("/outbound/email") if m["status"] == "sent"])
        assert sent[0]["kind"] == "acknowledgement"
    finally:
        relay.stop()


class RefusingInbox(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user here"


def test_a_recipient_the_relay_refuses_leaves_the_message_failed_and_visible(casebook_factory):
    inbox = RefusingInbox()
    port = free_port()
    relay = Controller(inbox, hostname="127.0.0.1", port=port)
    relay.start()
    try:
        casebook = casebook_factory(CASEBOOK_MAIL_TRANSPORT="smtp", CASEBOOK_RELAY_HOST="127.0.0.1", CASEBOOK_RELAY_PORT=str(port),
                                    CASEBOOK_RELAY_STARTTLS="opportunistic")
        open_case_as_customer(casebook, "Badge reader")
        failed = casebook.wait_for(lambda: [m for m in casebook.api("/outbound/email") if m["status"] == "failed"])
        assert "550 5.1.1" in failed[0]["last_error"] and failed[0]["attempts"] == 1, "a permanent refusal is not retried"
        assert inbox.messages == []
    finally:
        relay.stop()
