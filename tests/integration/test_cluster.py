"""Two `casebook serve` instances on one PostgreSQL behind Debian's HAProxy: creates with attachments through the
balancer, mail straight to each instance's SMTP listener, one instance SIGKILLed mid-way and restarted. Afterwards
every acknowledged create exists exactly once, every file reads back byte-identical through every instance, and every
acknowledged mail became exactly one case."""
import base64
import contextlib
import hashlib
import json
import os
import signal
import shutil
import smtplib
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import free_port

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
CONFIG = Path(__file__).parent / "cluster" / "haproxy.cfg"


def require_tools() -> str:
    url = os.environ.get("CASEBOOK_TEST_POSTGRES_URL")
    missing = [name for name, ok in [("PostgreSQL", bool(url)), ("HAProxy", os.path.exists(HAPROXY))] if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"missing: {', '.join(missing)}")
        pytest.skip(f"missing: {', '.join(missing)}")
    return url


class Client:
    """The API through one address, retrying a create with its Idempotency-Key when an instance dies under it."""

    def __init__(self, port: int, token: str):
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.token = token

    def call(self, method: str, path: str, body=None, key: str | None = None, attempts: int = 1):
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        for attempt in range(attempts):
            request = urllib.request.Request(self.base + path, method=method, data=data, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    raw = response.read()
                    return json.loads(raw) if response.headers.get_content_type().endswith("json") else raw
            except urllib.error.HTTPError as error:
                if error.code not in (502, 503, 504) or attempt == attempts - 1:
                    raise
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if attempt == attempts - 1:
                    raise
            time.sleep(0.5)
        raise AssertionError("unreachable")


def all_cases(client: Client) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.call("GET", "/cases?limit=100" + (f"&cursor={cursor}" if cursor else ""))
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def mail(subject: str, size: int = 2_000) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Dana Doe <dana@acme.example>"
    message["To"] = "support@cb.example"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@acme.example>"
    message.set_content(("A line of the controller's trace. " * 30 + "\n") * (size // 1_000 + 1))
    return message


@contextlib.contextmanager
def cluster(casebook_factory, tmp_path, **env):
    """Two instances on one fresh PostgreSQL schema and HAProxy in front; yields them, the balancer's client and the token."""
    url = require_tools()
    schema = "cluster_" + uuid.uuid4().hex[:12]
    shared = {"CASEBOOK_DATABASE_URL": url, "CASEBOOK_DATABASE_SCHEMA": schema, **env}
    first = casebook_factory(**shared)
    first.start()  # the first one migrates the schema
    second = casebook_factory(**shared)
    second.start()
    assert first.api("/me")["role"] == "admin"
    token = first.admin_token()

    port = free_port()
    servers = "\n".join(f"    server {name} 127.0.0.1:{instance.http_port} check"
                        for name, instance in (("a", first), ("b", second)))
    config = tmp_path / "haproxy.cfg"
    config.write_text(CONFIG.read_text().replace("{port}", str(port)).replace("{servers}", servers))
    balancer = subprocess.Popen([HAPROXY, "-db", "-f", str(config)], stdout=open(tmp_path / "haproxy.log", "wb"), stderr=subprocess.STDOUT)
    try:
        through = Client(port, token)
        time.sleep(0.3)
        assert balancer.poll() is None, (tmp_path / "haproxy.log").read_text()
        first.wait_for(lambda: through.call("GET", "/me", attempts=3)["role"] == "admin")
        yield first, second, through, token
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)


def test_two_instances_behind_haproxy_lose_nothing(casebook_factory, tmp_path):
    with cluster(casebook_factory, tmp_path) as (first, second, through, token):
        direct = [Client(first.http_port, token), Client(second.http_port, token)]
        created: dict[str, tuple[str, str]] = {}  # marker -> (reference, sha256 of its file)
        lock = threading.Lock()

        def create(n: int) -> None:
            marker = f"cluster-{n}-{uuid.uuid4().hex[:6]}"
            content = os.urandom(200_000 + n * 1_000)
            body = {"subject": f"Printer jam {marker}", "description": "Tray 2 jams on every job.",
                    "attachments": [{"filename": f"{marker}.bin", "data": base64.b64encode(content).decode()}]}
            answer = through.call("POST", "/cases", body, key=marker, attempts=8)
            with lock:
                created[marker] = (answer["reference"], hashlib.sha256(content).hexdigest())

        for n in range(12):
            create(n)

        acknowledged: list[str] = []
        for n, instance in enumerate([first, second] * 4):
            subject = f"Mail to instance {n} {uuid.uuid4().hex[:6]}"
            # Every third is over 1 MiB: its bytes go to the file store, read by whichever instance applies it.
            with smtplib.SMTP("127.0.0.1", instance.smtp_port, timeout=20) as client:
                client.send_message(mail(subject, size=1_300_000 if n % 3 == 0 else 2_000))
            acknowledged.append(subject)

        # Creates keep coming through the balancer while the second instance is killed and restarted.
        keep_going = threading.Event()
        keep_going.set()

        def load() -> None:
            n = 100
            while keep_going.is_set():
                create(n)
                n += 1

        worker = threading.Thread(target=load)
        worker.start()
        time.sleep(1.5)
        second.kill()
        time.sleep(2.0)
        second.start()
        time.sleep(1.5)
        keep_going.clear()
        worker.join(timeout=120)
        assert not worker.is_alive()
        assert len(created) > 14, "creates went on through the kill"

        def subjects() -> list[str]:
            return [case["subject"] for case in all_cases(direct[0])]

        # Every acknowledged mail becomes one case, whichever instance's job runner applies it.
        first.wait_for(lambda: all(any(s == subject for s in subjects()) for subject in acknowledged), timeout=60)
        listed = subjects()
        for subject in acknowledged:
            assert listed.count(subject) == 1, subject
        for marker in created:
            assert sum(marker in s for s in listed) == 1, f"{marker} exists exactly once"

        # Every file reads back byte-identical through each instance and through the balancer.
        for marker, (reference, digest) in created.items():
            messages = direct[1].call("GET", f"/cases/{reference}/messages")
            files = [file for message in messages for file in message.get("attachments", [])]
            assert len(files) == 1, marker
            for client in direct + [through]:
                body = client.call("GET", f"/cases/{reference}/attachments/{files[0]['id']}", attempts=3)
                assert hashlib.sha256(body).hexdigest() == digest, f"{marker} through {client.base}"


def test_rolling_restart_behind_haproxy_fails_no_request(casebook_factory, tmp_path):
    """Each instance in turn is stopped with SIGTERM and started again while clients keep working through the balancer
    without retrying: the health check takes a stopping instance out before it stops accepting, so no request fails."""
    with cluster(casebook_factory, tmp_path) as (first, second, through, token):
        failures: list[str] = []
        created: list[str] = []
        lock = threading.Lock()
        keep_going = threading.Event()
        keep_going.set()

        def work(worker: int) -> None:
            n = 0
            while keep_going.is_set():
                marker = f"rolling-{worker}-{n}-{uuid.uuid4().hex[:6]}"
                try:
                    answer = through.call("POST", "/cases", {"subject": f"Badge reader {marker}", "description": "Offline."})
                    through.call("GET", f"/cases/{answer['reference']}")
                    with lock:
                        created.append(marker)
                except Exception as error:  # noqa: BLE001 - every kind of failure is what the test counts
                    with lock:
                        failures.append(f"{marker}: {error!r}")
                n += 1

        workers = [threading.Thread(target=work, args=(w,)) for w in range(3)]
        for thread in workers:
            thread.start()
        try:
            time.sleep(1.0)
            for instance in (first, second):
                instance.process.send_signal(signal.SIGTERM)
                assert instance.process.wait(timeout=40) == 0, (instance.data_dir / "serve.log").read_text()
                instance.start()
                # Back in the balancer after two good health checks half a second apart.
                time.sleep(2.5)
        finally:
            keep_going.clear()
            for thread in workers:
                thread.join(timeout=60)
        assert failures == [], failures[:5]
        assert len(created) > 30, "the clients kept working through both restarts"
        subjects = [case["subject"] for case in all_cases(Client(first.http_port, token))]
        for marker in created:
            assert subjects.count(f"Badge reader {marker}") == 1, f"{marker} exists exactly once"
