"""Kill -9 the server while 500 messages are being delivered: every acknowledged message survives."""
import smtplib
import sqlite3
import threading
import time
import uuid
from email.message import EmailMessage

TOTAL = 500
SENDERS = 5


def build(n: int) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = f"Sender {n} <sender{n % 40}@acme.example>"
    mail["To"] = "support@cb.example"
    mail["Subject"] = f"Crash test message {n}"
    mail["Message-ID"] = f"<crash-{n}-{uuid.uuid4()}@acme.example>"
    mail.set_content(("Line of a typical support mail body. " * 40 + "\n") * 10)
    return mail


def test_acknowledged_messages_survive_sigkill(casebook_factory):
    casebook = casebook_factory()
    casebook.admin_token()
    casebook.start()
    acknowledged: list[str] = []
    lock = threading.Lock()
    messages = [build(n) for n in range(TOTAL)]

    def send(share: list[EmailMessage]) -> None:
        try:
            client = smtplib.SMTP("127.0.0.1", casebook.smtp_port, timeout=10)
            for mail in share:
                client.send_message(mail)  # returns only after the server's 250
                with lock:
                    acknowledged.append(mail["Message-ID"].strip("<>"))
        except (OSError, smtplib.SMTPException):
            return  # the server died mid-conversation; this message was never acknowledged

    threads = [threading.Thread(target=send, args=(messages[i::SENDERS],)) for i in range(SENDERS)]
    for thread in threads:
        thread.start()
    deadline = time.time() + 120
    while time.time() < deadline:
        with lock:
            if len(acknowledged) >= TOTAL // 3:
                break
        time.sleep(0.005)
    casebook.kill()
    for thread in threads:
        thread.join()
    with lock:
        acked = list(acknowledged)
    assert TOTAL // 3 <= len(acked) < TOTAL, "the kill landed while messages were still arriving"

    casebook.start()  # same data directory
    database = casebook.data_dir / "casebook.sqlite"

    def stored_ids() -> set[str]:
        with sqlite3.connect(database) as connection:
            return {row[0] for row in connection.execute("SELECT message_id FROM inbound_messages")}

    missing = set(acked) - stored_ids()
    assert not missing, f"{len(missing)} acknowledged messages were lost"
    attachments = casebook.data_dir / "attachments"
    with sqlite3.connect(database) as connection:
        stored = connection.execute("SELECT sha256, raw IS NOT NULL, size FROM inbound_messages").fetchall()
    digests = [row[0] for row in stored]
    for digest, inline, size in stored:
        # Small messages are kept in their row; larger ones as a file under their digest.
        assert inline or (attachments / digest[:2] / digest[2:4] / digest).exists(), f"raw bytes of {digest} are stored"
        assert inline == (size <= 1024 * 1024)

    def all_applied() -> bool:
        with sqlite3.connect(database) as connection:
            # Only jobs already due: the nightly housekeeping waits in the queue for its hour (03:00 UTC).
            pending = connection.execute(
                "SELECT COUNT(*) FROM jobs WHERE status != 'done' AND run_at <= ?", (time.time(),)).fetchone()[0]
            done = connection.execute(
                "SELECT COUNT(*) FROM inbound_messages WHERE status = 'processed'").fetchone()[0]
        return pending == 0 and done == len(digests)

    casebook.wait_for(all_applied, timeout=120)
    with sqlite3.connect(database) as connection:
        cases = connection.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    assert cases == len(digests), "each stored message became exactly one case"
