"""Import from a real Request Tracker 5 (Debian's request-tracker5, started by scripts/test.sh through
../shared/peers/rt): tickets with attachments, comments, custom fields, status changes and links come over with
their history in order, comments internal, attachments byte-identical and dates kept; a second run imports nothing."""
import base64
import hashlib
import json
import os
import random
import time
import uuid
import urllib.error
import urllib.request
from http.cookiejar import CookieJar

import pytest

RT_URL = os.environ.get("CASEBOOK_TEST_RT_URL", "http://127.0.0.1:8085")
RT_USER, RT_PASSWORD = "root", os.environ.get("RT_ROOT_PASSWORD", "password")


class RT:
    """A signed-in REST 2 client (a session cookie, with the Referer RT's CSRF check wants: a token costs a bcrypt check per request)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        data = f"user={RT_USER}&pass={RT_PASSWORD}".encode()
        self.opener.open(urllib.request.Request(RT_URL + "/NoAuth/Login.html", data=data), timeout=30).read()

    def call(self, method, path, body=None):
        request = urllib.request.Request(RT_URL + "/REST/2.0" + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Content-Type": "application/json", "Referer": RT_URL + "/"})
        with self.opener.open(request, timeout=60) as response:
            return json.loads(response.read() or b"null")


def rt_available() -> bool:
    try:
        urllib.request.urlopen(RT_URL + "/NoAuth/Login.html", timeout=3).read()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def rt():
    if not rt_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Request Tracker is not running at {RT_URL}; scripts/test.sh starts it")
        pytest.skip("Request Tracker is not running (scripts/test.sh starts it)")
    return RT()


def seed(rt, count):
    """Tickets as a real desk has them; returns what each should come to, by RT id."""
    rng = random.Random(7)
    run = uuid.uuid4().hex[:6]
    expected = {}
    previous = None
    for n in range(count):
        blob = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 3000, 70000])))
        files = [{"FileName": f"scan-{n}.bin", "FileType": "application/octet-stream", "FileContent": base64.b64encode(blob).decode()}] if blob else []
        created = rt.call("POST", "/ticket", {
            "Queue": "Hardware" if n % 2 else "General", "Subject": f"Printer {n} jams — café ☕ {run}", "Requestor": f"customer{n % 7}@acme{n % 3}.example",
            "Content": f"Opening message {n}.\nIt jams on every page.", "ContentType": "text/plain", "Attachments": files,
            "CustomFields": {"Severity": ["Low", "High", "Critical"][n % 3]}, "Priority": [0, 30, 60, 90][n % 4]})
        tid = int(created["id"])
        rt.call("POST", f"/ticket/{tid}/comment", {"Content": f"Internal note {n}: check the fuser.", "ContentType": "text/plain"})
        rt.call("POST", f"/ticket/{tid}/correspond", {"Content": f"Public reply {n}: a technician is coming.", "ContentType": "text/plain"})
        if previous and n % 4 == 0:
            rt.call("PUT", f"/ticket/{tid}", {"DependsOn": previous})
        if n % 3 == 0:
            rt.call("PUT", f"/ticket/{tid}", {"Status": "resolved", "Owner": "root"})
        expected[tid] = {"files": [hashlib.sha256(blob).hexdigest()] if blob else [], "severity": ["Low", "High", "Critical"][n % 3],
                         "resolved": n % 3 == 0, "n": n, "subject": f"Printer {n} jams — café ☕ {run}",
                         "depends_on": previous if previous and n % 4 == 0 else None}
        previous = tid
    return expected


def test_rt_history_comes_over_in_order_with_attachments_and_a_second_run_adds_nothing(rt, casebook_factory):
    expected = seed(rt, 24)
    cb = casebook_factory()
    cb.admin_token()
    started = time.time()
    out = cb.cli("import-rt", "--url", RT_URL, "--user", RT_USER, "--password", RT_PASSWORD)
    elapsed = time.time() - started
    assert "failed" in out and " 0 failed" in out.replace(";", ""), out
    cb.start()
    again = cb.cli("import-rt", "--url", RT_URL, "--user", RT_USER, "--password", RT_PASSWORD)
    assert "Imported 0 tickets" in again, again

    cases, cursor = {}, ""
    while True:
        page = cb.api("/cases?tag=imported-rt&status=new,open,pending_customer,pending_vendor,solved,closed&limit=100" + cursor)
        cases.update({c["subject"]: c for c in page["items"]})
        if not page.get("next_cursor"):
            break
        cursor = "&cursor=" + page["next_cursor"]
    for tid, want in expected.items():
        n = want["n"]
        case = cases[want["subject"]]
        assert f"rt-{tid}" in case["tags"]
        ticket = rt.call("GET", f"/ticket/{tid}")
        # RT refuses to resolve a ticket whose dependencies are open, so RT's own status is the expectation.
        assert case["status"] == {"resolved": "solved", "open": "open", "new": "new"}[ticket["Status"]], (case, ticket["Status"])
        assert case["created_at"].startswith(ticket["Created"].rstrip("Z")), (case["created_at"], ticket["Created"])
        messages = cb.api(f"/cases/{case['reference']}/messages")
        items = messages["items"] if isinstance(messages, dict) else messages
        texts = [(m["visibility"], m["text"]) for m in items]
        assert texts[0] == ("public", f"Opening message {n}.\nIt jams on every page."), texts
        assert ("internal", f"Internal note {n}: check the fuser.") in texts
        assert ("public", f"Public reply {n}: a technician is coming.") in texts
        assert [t for t in texts if "note" in t[1].lower()][0][0] == "internal"
        order = [t[1].split(" ")[0] for t in texts[:3]]
        assert order == ["Opening", "Internal", "Public"], order
        # RT's custom field becomes Casebook's field of the same name, made by the import.
        assert case["custom_fields"].get("severity") == want["severity"], case["custom_fields"]
        assert not any("Severity:" in t[1] for t in texts), texts
        if want["depends_on"]:
            other = cases[expected[want["depends_on"]]["subject"]]["reference"]
            links = cb.api(f"/cases/{case['reference']}/links")
            links = links["items"] if isinstance(links, dict) else links
            assert [(link["relation"], link["reference"]) for link in links] == [("related to", other)], links
        files = [a for m in items for a in m.get("attachments", [])]
        digests = []
        for attachment in files:
            request = urllib.request.Request(f"http://127.0.0.1:{cb.http_port}/api/v1/cases/{case['reference']}/attachments/{attachment['id']}",
                                             headers={"Authorization": f"Bearer {cb.admin_token()}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                digests.append(hashlib.sha256(response.read()).hexdigest())
        assert digests == want["files"], (n, digests)
        timeline = cb.api(f"/cases/{case['reference']}/timeline")
        entries = timeline["items"] if isinstance(timeline, dict) else timeline
        if ticket["Status"] == "resolved":
            assert any(e.get("field") == "status" and e.get("new_value") == "resolved" for e in entries), entries
    print(f"RT import: {len(expected)} tickets in {elapsed:.1f} s ({len(expected) / elapsed:.1f} tickets/s, including the CLI's start)")
