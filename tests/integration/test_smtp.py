"""The SMTP listener against real clients: Python's smtplib and Debian's swaks."""
import shutil
import smtplib
import socket
import ssl
import subprocess
import uuid
from email.message import EmailMessage

import pytest


def message(subject: str, sender: str = "dana@acme.example", to: str = "support@cb.example", body: str = "Printer offline") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = f"Dana <{sender}>"
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{uuid.uuid4()}@acme.example>"
    mail.set_content(body)
    return mail


def case_subjects(casebook) -> list[str]:
    return [case["subject"] for case in casebook.api("/cases?limit=100")["items"]]


def inbound(casebook) -> list[dict]:
    return casebook.api("/inbound/email")


def test_smtplib_delivers_a_mail_that_becomes_a_case(casebook):
    with smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10) as client:
        code, banner = client.ehlo("client.acme.example")
        assert code == 250
        for extension in ("size", "8bitmime", "pipelining"):
            assert client.has_extn(extension)
        refused = client.send_message(message("Scanner offline on floor 3"))
        assert refused == {}
    casebook.wait_for(lambda: "Scanner offline on floor 3" in case_subjects(casebook))
    stored = inbound(casebook)
    assert stored[0]["status"] == "processed"


def test_one_message_to_two_of_our_addresses_makes_one_case(casebook):
    mail = message("Copied to both desks", to="support@cb.example, help@cb.example")
    with smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10) as client:
        assert client.send_message(mail, to_addrs=["support@cb.example", "help@cb.example", "x@desk.cb.example"]) == {}
    casebook.wait_for(lambda: "Copied to both desks" in case_subjects(casebook))
    assert case_subjects(casebook).count("Copied to both desks") == 1


def test_unknown_recipients_and_oversize_mail_are_refused(casebook):
    with smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("dana@acme.example", ["someone@elsewhere.example"], message("Not for us").as_bytes())
        assert refused.value.recipients["someone@elsewhere.example"][0] == 550
        code, _ = client.mail("dana@acme.example", ["SIZE=999999999"])
        assert code == 552
        client.rset()
        code, _ = client.rcpt("support@cb.example")
        assert code == 503
    assert inbound(casebook) == []


def test_many_messages_on_one_connection_with_pipelining(casebook):
    subjects = [f"Pipelined {n}" for n in range(25)]
    with smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10) as client:
        for subject in subjects:
            assert client.send_message(message(subject)) == {}
    # Raw pipelining: every command of a transaction in one write, then the data.
    with socket.create_connection(("127.0.0.1", casebook.smtp_port), timeout=10) as raw:
        reader = raw.makefile("rb")
        assert reader.readline().startswith(b"220")
        raw.sendall(b"EHLO pipe.example\r\nMAIL FROM:<dana@acme.example>\r\nRCPT TO:<support@cb.example>\r\nRCPT TO:<nobody@x.example>\r\nDATA\r\n")
        replies = []
        while len(replies) < 5:
            line = reader.readline()
            if line[3:4] == b" ":
                replies.append(int(line[:3]))
        assert replies == [250, 250, 250, 550, 354]
        raw.sendall(b"Subject: Raw pipelined\r\nMessage-ID: <raw-1@acme.example>\r\n\r\n..dotted line\r\n.\r\nQUIT\r\n")
        assert reader.readline().startswith(b"250")
        assert reader.readline().startswith(b"221")
    casebook.wait_for(lambda: len(set(subjects + ["Raw pipelined"]) & set(case_subjects(casebook))) == 26)


@pytest.mark.parametrize("ending", [b"\n.\n", b"\n.\r\n", b"\r\n.\n"])
def test_a_bare_lf_dot_does_not_end_the_data_so_no_second_message_is_smuggled(casebook, ending):
    """RFC 5321 2.3.8 and 4.1.1.4: only CRLF.CRLF ends DATA. A bare LF beside the dot is data, so the forged
    transaction after it is part of the first message, not a second one with another sender."""
    with socket.create_connection(("127.0.0.1", casebook.smtp_port), timeout=10) as raw:
        reader = raw.makefile("rb")
        assert reader.readline().startswith(b"220")
        raw.sendall(b"HELO smuggler.example\r\n")
        assert reader.readline().startswith(b"250")
        raw.sendall(b"MAIL FROM:<dana@acme.example>\r\nRCPT TO:<support@cb.example>\r\nDATA\r\n")
        assert [reader.readline()[:3] for _ in range(3)] == [b"250", b"250", b"354"]
        raw.sendall(b"Subject: Honest request\r\nMessage-ID: <honest@acme.example>\r\n\r\nHello" + ending
                    + b"MAIL FROM:<ceo@cb.example>\r\nRCPT TO:<support@cb.example>\r\nDATA\r\n"
                    + b"Subject: Forged request\r\nFrom: ceo@cb.example\r\n\r\nPay this invoice\r\n.\r\nQUIT\r\n")
        replies = [reader.readline() for _ in range(2)]
        assert replies[0].startswith(b"250") and replies[1].startswith(b"221"), replies
    casebook.wait_for(lambda: "Honest request" in case_subjects(casebook))
    assert "Forged request" not in case_subjects(casebook)
    assert len(inbound(casebook)) == 1


@pytest.mark.skipif(shutil.which("swaks") is None, reason="swaks is not installed")
def test_swaks_delivers_a_mail(casebook):
    done = subprocess.run([
        "swaks", "--server", f"127.0.0.1:{casebook.smtp_port}", "--from", "erin@acme.example", "--to", "support@cb.example",
        "--header", "Subject: Sent with swaks", "--body", "Hello from swaks", "--helo", "swaks.acme.example",
    ], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "<-  250 2.0.0 Ok: queued as" in done.stdout
    casebook.wait_for(lambda: "Sent with swaks" in case_subjects(casebook))
    refused = subprocess.run([
        "swaks", "--server", f"127.0.0.1:{casebook.smtp_port}", "--to", "stranger@elsewhere.example", "--from", "erin@acme.example",
    ], capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0 and "550 5.1.1" in refused.stdout


@pytest.fixture
def certificate(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=mx.cb.example"], check=True, capture_output=True)
    return cert, key


def test_starttls_with_smtplib_and_swaks(casebook_factory, certificate):
    cert, key = certificate
    casebook = casebook_factory(CASEBOOK_SMTP_TLS_CERT=str(cert), CASEBOOK_SMTP_TLS_KEY=str(key), CASEBOOK_SMTP_REQUIRE_TLS="true")
    casebook.admin_token()
    casebook.start()
    with smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10) as client:
        client.ehlo()
        assert client.has_extn("starttls")
        code, _ = client.mail("dana@acme.example")
        assert code == 530, "mail before STARTTLS is refused when TLS is required"
        client.rset()
        client.starttls(context=ssl._create_unverified_context())
        client.ehlo()
        assert not client.has_extn("starttls")
        assert client.send_message(message("Over TLS")) == {}
    if shutil.which("swaks"):
        done = subprocess.run(["swaks", "--server", f"127.0.0.1:{casebook.smtp_port}", "--tls", "--from", "erin@acme.example",
                               "--to", "support@cb.example", "--header", "Subject: swaks over TLS"],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stdout + done.stderr
    casebook.wait_for(lambda: {"Over TLS"} <= set(case_subjects(casebook)))
    raw_received = [m for m in inbound(casebook) if m["subject"] == "Over TLS"]
    assert raw_received


def test_plain_text_sent_after_starttls_is_not_obeyed(casebook_factory, certificate):
    cert, key = certificate
    casebook = casebook_factory(CASEBOOK_SMTP_TLS_CERT=str(cert), CASEBOOK_SMTP_TLS_KEY=str(key))
    casebook.start()
    with socket.create_connection(("127.0.0.1", casebook.smtp_port), timeout=10) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        raw.sendall(b"EHLO a\r\n")
        while not reader.readline()[3:4] == b" ":
            pass
        # An attacker on the path appends a command to STARTTLS; it must be dropped, not run inside TLS.
        raw.sendall(b"STARTTLS\r\nNOOP\r\n")
        assert reader.readline().startswith(b"220")
        secure = ssl._create_unverified_context().wrap_socket(raw, server_hostname="mx.cb.example")
        secure_reader = secure.makefile("rb")
        secure.sendall(b"EHLO a\r\n")
        first = secure_reader.readline()
        assert first.startswith(b"250-mx.cb.example"), first


def test_the_teams_addresses_are_taken_as_soon_as_they_are_added(casebook):
    import json
    import urllib.request
    with smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("dana@acme.example", ["sales@brand.example"], message("Before the address").as_bytes())
    request = urllib.request.Request(f"http://127.0.0.1:{casebook.http_port}/api/v1/mail-addresses", method="POST",
                                     data=json.dumps({"address": "sales@brand.example", "display_name": "Brand Sales"}).encode(),
                                     headers={"Authorization": f"Bearer {casebook.admin_token()}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
    # Not in CASEBOOK_SMTP_RECIPIENTS, but one of the team's addresses now (its case tag too).
    with smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10) as client:
        client.ehlo("client.acme.example")
        client.mail("dana@acme.example")
        assert client.rcpt("sales+cb-99999@brand.example")[0] == 250
        client.rset()
        assert client.send_message(message("Volume pricing", to="sales@brand.example")) == {}
    casebook.wait_for(lambda: "Volume pricing" in case_subjects(casebook))
