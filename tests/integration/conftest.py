"""Starts real `casebook serve` processes for tests that talk to Casebook over the network."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("CASEBOOK_BIN", str(ROOT / ".build" / "debug" / "casebook"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Casebook:
    """One Casebook process on a data directory that outlives restarts."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str]):
        self.data_dir = data_dir
        self.http_port = free_port()
        self.smtp_port = free_port()
        self.env = dict(os.environ)
        self.env.update({
            "CASEBOOK_DATA_DIR": str(data_dir),
            "CASEBOOK_PORT": str(self.http_port),
            "CASEBOOK_SMTP_PORT": str(self.smtp_port),
            "CASEBOOK_SMTP_RECIPIENTS": "support@cb.example,help@cb.example,@desk.cb.example",
            "CASEBOOK_SMTP_HOSTNAME": "mx.cb.example",
            "CASEBOOK_BCRYPT_COST": "4",
            "CASEBOOK_LOG_LEVEL": "warning",
        })
        # Each instance gets its own SQLite database unless the test names a shared one.
        self.env.pop("CASEBOOK_DATABASE_URL", None)
        self.env.update(extra_env)
        self.process = None
        self.token = None

    def cli(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True, env=self.env, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self, attempts: int = 3) -> None:
        log = open(self.data_dir / "serve.log", "ab")
        self.process = subprocess.Popen([BINARY, "serve"], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                written = (self.data_dir / "serve.log").read_text()
                # A port found free can be taken by another process before Casebook binds it: take new ones and try again.
                if "Address already in use" in written and attempts > 1:
                    self.http_port, self.smtp_port = free_port(), free_port()
                    self.env.update({"CASEBOOK_PORT": str(self.http_port), "CASEBOOK_SMTP_PORT": str(self.smtp_port)})
                    return self.start(attempts - 1)
                raise AssertionError(written)
            try:
                with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1):
                    pass
                urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("casebook did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def admin_token(self) -> str:
        if self.token is None:
            self.cli("user", "add", "--email", "admin@cb.example", "--name", "Admin", "--role", "admin", "--password-stdin",
                     stdin="a-long-admin-password\n")
            self.token = self.cli("token", "issue", "--email", "admin@cb.example").split()[-1]
        return self.token

    def api(self, path: str):
        request = urllib.request.Request(f"http://127.0.0.1:{self.http_port}/api/v1{path}",
                                         headers={"Authorization": f"Bearer {self.admin_token()}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def wait_for(self, predicate, timeout: float = 30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError("condition not met in time")


@pytest.fixture
def casebook_factory(tmp_path):
    started = []

    def make(**extra_env) -> Casebook:
        instance = Casebook(tmp_path / f"data{len(started)}", extra_env)
        instance.data_dir.mkdir()
        started.append(instance)
        return instance

    yield make
    for instance in started:
        instance.stop()


@pytest.fixture
def casebook(casebook_factory):
    instance = casebook_factory()
    instance.admin_token()
    instance.start()
    return instance
