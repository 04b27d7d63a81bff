"""Attacks that hit other help desks, replayed in Chromium against Casebook's pages: script in an attachment's name
and in a file whose content type lies (RT CVE-2022-25802, FreeScout CVE-2026-32754, osTicket CVE-2020-24917), and
another organisation's case opened by its reference (Zammad CVE-2022-40816)."""
import base64
import time

from selenium.webdriver.common.by import By

from conftest import SHOTS
from test_accessibility import audit
from test_pages import open_case_for_carla, sign_in, wait_for

PAYLOAD = base64.b64encode(b"<html><body><script>window.parent.__pwned='file'</script>Invoice</body></html>").decode()

LYING = f"""From: Carla Customer <carla@acme.example>
To: support@cb.example
Subject: Two files
Message-ID: <lying-1@acme.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

Files attached.
--b
Content-Type: text/html; name="\\"><img src=x onerror=window.__pwned='name'>.html"
Content-Disposition: attachment; filename="\\"><img src=x onerror=window.__pwned='name'>.html"
Content-Transfer-Encoding: base64

{PAYLOAD}
--b
Content-Type: text/html
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

{PAYLOAD}
--b--
"""


def headers_of(driver, href):
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'}).then(r => done({
            status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'),
            csp: r.headers.get('content-security-policy'), sniff: r.headers.get('x-content-type-options')}));""", href)


def test_script_in_attachment_names_and_lying_content_types_runs_nowhere(desk, browsers):
    receipt = desk.call("POST", "/inbound/email", raw=LYING.replace("\n", "\r\n").encode(), content_type="message/rfc822")
    ref = receipt["case_reference"]
    for who, path in (("ann@desk.example", f"/desk/cases/{ref}"), ("carla@acme.example", f"/portal/cases/{ref}")):
        browser = browsers()
        sign_in(browser, desk, who)
        browser.get(desk.base + path)
        wait_for(browser, lambda d: "invoice.pdf" in d.find_element(By.TAG_NAME, "main").text)
        time.sleep(0.5)
        assert browser.execute_script("return window.__pwned === undefined"), who
        assert not browser.find_elements(By.CSS_SELECTOR, "main img[onerror]"), who
        # The name is shown as text, its markup and all.
        assert "onerror" in browser.find_element(By.TAG_NAME, "main").text, who
        SHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SHOTS / f"attack-attachment-names-{who.split('@')[0]}.png"))
        links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a[href*='/attachments/']")]
        assert len(links) >= 2, who
        for href in links:
            answer = headers_of(browser, href)
            assert answer["status"] == 200 and answer["disposition"].startswith("attachment"), answer
            assert "sandbox" in answer["csp"] and answer["sniff"] == "nosniff", answer
            # Opened directly, the file is saved, not shown: the page stays, and nothing ran.
            browser.get(href)
            time.sleep(0.5)
            assert browser.execute_script("return window.__pwned === undefined"), href


def test_another_organisations_case_is_not_found_on_any_page(desk, browsers):
    ref = open_case_for_carla(desk, "Acme only")["reference"]
    globex = desk.call("POST", "/organisations", {"name": "Globex", "domain": "globex.example"})
    desk.call("POST", "/users", {"email": "olga@globex.example", "name": "Olga Outsider", "role": "customer", "password": "a-long-test-password",
                                 "organisation_id": globex["id"]})
    olga = browsers()
    sign_in(olga, desk, "olga@globex.example")
    for path in (f"/portal/cases/{ref}", f"/desk/cases/{ref}", f"/portal/cases/{ref}/reply"):
        olga.get(desk.base + path)
        text = olga.find_element(By.TAG_NAME, "body").text
        assert "Acme only" not in text, path
        assert "/portal" in olga.current_url or "not found" in text.lower() or "404" in text, f"{path}: {olga.current_url}"
    olga.get(desk.base + f"/portal/cases/{ref}")
    audit(olga, "another organisation's case")
    SHOTS.mkdir(parents=True, exist_ok=True)
    olga.save_screenshot(str(SHOTS / "attack-other-organisation.png"))
