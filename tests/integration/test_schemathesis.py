"""Schemathesis against a served Casebook, bounded in time: no server errors and no answer that breaks the
OpenAPI document, over every operation (generated examples, then fuzzing until the time budget is spent)."""
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

SECONDS = os.environ.get("CASEBOOK_SCHEMATHESIS_SECONDS", "120")


def schemathesis_command() -> list[str] | None:
    if shutil.which("schemathesis"):
        return ["schemathesis"]
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "schemathesis.cli"]


def test_every_operation_answers_without_server_errors_and_as_documented(casebook, tmp_path):
    command = schemathesis_command()
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("schemathesis is not installed; scripts/test.sh installs it from PyPI")
        pytest.skip("schemathesis is not installed")
    reports = tmp_path / "reports"
    run = subprocess.run(command + [
        "run", f"http://127.0.0.1:{casebook.http_port}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {casebook.admin_token()}",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--phases", "examples,fuzzing", "--max-time", SECONDS, "--workers", "2", "--no-color",
        # Bodies of these media types cannot be generated (a raw mail, a WAV recording); their own tests cover them.
        "--exclude-path", "/api/v1/inbound/email", "--exclude-path", "/api/v1/cases/{reference}/calls/{id}/recording",
        # A new password revokes the caller's own token, which would end the run's authority half-way.
        "--exclude-operation-id", "updateUser",
        "--report", "junit", "--report-dir", str(reports),
    ], capture_output=True, text=True, timeout=int(SECONDS) + 240, cwd=tmp_path)  # its cache stays out of the checkout
    output = run.stdout + run.stderr
    junit = next(reports.glob("*.xml"), None)
    assert junit is not None, output[-4000:]
    failures = []
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        for failure in case.findall("failure"):
            failures.append(f"{case.get('name')}: {(failure.get('message') or failure.text or '')[:400]}")
    assert failures == [], "\n".join(failures[:20])
    assert "generated" in output, output[-4000:]
