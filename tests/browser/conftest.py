"""Browser tests: a real `casebook serve` and headless Chromium driven by Selenium (Debian's chromium and chromium-driver)."""
import json
import os
import shutil
import urllib.request
from pathlib import Path

import pytest

import importlib.util

# The integration tests' server wrapper and fixtures, loaded under their own name (both files are called conftest).
_spec = importlib.util.spec_from_file_location("integration_conftest", Path(__file__).resolve().parents[1] / "integration" / "conftest.py")
_integration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_integration)
Casebook = _integration.Casebook
casebook_factory = _integration.casebook_factory
casebook = _integration.casebook

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

SHOTS = Path(os.environ.get("CASEBOOK_SCREENSHOTS", Path(__file__).resolve().parents[2] / ".build" / "screenshots"))
PASSWORD = "a-long-test-password"


class Desk:
    """A running Casebook with people, a product, a category with a branching intake flow, and API helpers."""

    def __init__(self, casebook: Casebook):
        self.cb = casebook
        self.base = f"http://127.0.0.1:{casebook.http_port}"

    def call(self, method: str, path: str, body=None, raw: bytes | None = None, content_type="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + "/api/v1" + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {self.cb.admin_token()}", "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=20) as response:
            text = response.read()
            return json.loads(text) if text else None

    def seed(self):
        self.org = self.call("POST", "/organisations", {"name": "Acme Printing", "domain": "acme.example"})
        self.product = self.call("POST", "/products", {"name": "Printer"})
        self.version = self.call("POST", f"/products/{self.product['id']}/versions", {"name": "4.2"})
        for email, name, role, language in [("ann@desk.example", "Ann Agent", "agent", "en"), ("ben@desk.example", "Ben Agent", "agent", "en"),
                                            ("carla@acme.example", "Carla Customer", "customer", "en"),
                                            ("sofia@acme.example", "Sofía Cliente", "customer", "es")]:
            body = {"email": email, "name": name, "role": role, "password": PASSWORD, "language": language}
            if role == "customer":
                body["organisation_id"] = self.org["id"]
            self.call("POST", "/users", body)
        self.category = self.call("POST", "/categories", {"name": "Printing", "description": "Printers that jam, stop or show errors."})
        self.call("PUT", f"/categories/{self.category['id']}/intake", {"questions": [
            {"key": "company", "label": "Company", "why": "So we apply your contract.", "kind": "text", "required": True, "prefill": "organisation"},
            {"key": "version", "label": "Firmware version", "why": "Fixes differ between versions.", "kind": "product_version", "required": True},
            {"key": "shows_error", "label": "Does the printer show an error?", "why": "An error code points to the failing part.", "kind": "yes_no", "required": True},
            {"key": "error_code", "label": "Error code", "why": "Each code names one part, so we bring the right spare.", "kind": "choice",
             "options": ["E01", "E02", "other"], "required": True, "condition": {"question": "shows_error", "equals": ["yes"]}},
            {"key": "tried", "label": "What have you tried?", "why": "So we never ask you to repeat it.", "kind": "text", "already_tried": True},
        ]})
        return self


@pytest.fixture
def desk(casebook):
    return Desk(casebook).seed()


def make_browser(javascript: bool = True):
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,1000", "--lang=en-GB"]:
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(0)
    return driver


@pytest.fixture
def browsers(request):
    started = []

    def make(javascript: bool = True):
        driver = make_browser(javascript)
        started.append(driver)
        return driver

    yield make
    SHOTS.mkdir(parents=True, exist_ok=True)
    for index, driver in enumerate(started):
        # Every test leaves a picture of where each browser ended, pass or fail.
        driver.save_screenshot(str(SHOTS / f"{request.node.name}-{index}.png"))
        driver.quit()
