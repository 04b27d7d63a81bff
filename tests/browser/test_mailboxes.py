"""Mailboxes in Chromium: an admin adds the team's IMAP mailbox on its page (a real Dovecot on loopback with its own CA),
tests it, and mail delivered to that mailbox becomes a case while Casebook runs, without anyone pressing a button."""
import os
import pathlib
import shutil
import tempfile
import random
import subprocess
import time
import uuid

from selenium.webdriver.common.by import By

from conftest import SHOTS
from test_accessibility import audit
from test_areas import fill, open_form, sign_in_admin
from test_pages import wait_for

DOVECOT_SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "integration" / "imap" / "dovecot.sh"


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"mailboxes-{name}.png"))


def start_mail_server():
    """A real Dovecot on loopback: IMAP with STARTTLS on port, IMAPS on port + 1 (tests/integration/imap/dovecot.sh).
    Its folder is not under pytest's private tmp_path: Dovecot's own users must be able to reach it."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="casebook-mail-"))
    folder.chmod(0o755)
    for _ in range(3):
        port = random.randint(20_000, 40_000)
        done = subprocess.run(["bash", str(DOVECOT_SCRIPT), "start", str(folder), str(port)], capture_output=True, text=True)
        if done.returncode == 0:
            return folder, port
        subprocess.run(["bash", str(DOVECOT_SCRIPT), "stop", str(folder)], capture_output=True)
    raise AssertionError("dovecot did not start: " + done.stderr)


def deliver(folder, raw: str, user="support"):
    """Into the user's Maildir as a delivery agent would: written under tmp/, renamed into new/."""
    box = folder / "mail" / user
    name = f"{int(time.time())}.{uuid.uuid4().hex}.casebook-test"
    temporary = box / "tmp" / name
    temporary.write_text(raw)
    owner = box.stat()
    os.chown(temporary, owner.st_uid, owner.st_gid)
    temporary.rename(box / "new" / name)


def test_a_mailbox_added_on_its_page_turns_new_mail_into_cases(desk, browsers):
    folder, port = start_mail_server()
    try:
        admin = browsers()
        sign_in_admin(admin, desk)
        group = desk.call("POST", "/groups", {"name": "Scanners"})
        # The team's address first: its new cases go to the Scanners group, its replies carry its signature.
        admin.get(desk.base + "/admin/mail-addresses")
        open_form(admin, "create")
        form = fill(admin, "create", {"address": "scanners@desk.example", "display_name": "Desk Scanners", "group_id": "Scanners"})
        admin.find_element(By.ID, "create-signature").send_keys("Desk Scanners\n+1 555 0199")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(admin, lambda d: "scanners@desk.example" in d.find_element(By.TAG_NAME, "main").text and not d.find_elements(By.ID, "create-error"))
        shoot(admin, "address")
        audit(admin, "/admin/mail-addresses/{id}")
        admin.get(desk.base + "/admin/mail-accounts")
        open_form(admin, "create")
        assert admin.find_element(By.ID, "create-verify_certificates").is_selected()
        form = fill(admin, "create", {"name": "Support mailbox", "host": "localhost", "security": "tls", "port": str(port + 1),
                                      "username": "support", "password": "mail-secret", "after_import": "move",
                                      "mail_address_id": "scanners@desk.example"})
        admin.find_element(By.ID, "create-ca_certificates").send_keys((folder / "ca.pem").read_text())
        shoot(admin, "form")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # Moving needs a folder to move to: the form comes back saying so, with everything typed still there.
        wait_for(admin, lambda d: d.find_elements(By.ID, "create-error"))
        assert "Move to folder: is required" in admin.find_element(By.ID, "create-error").text
        assert admin.find_element(By.ID, "create-host").get_attribute("value") == "localhost"
        assert "BEGIN CERTIFICATE" in admin.find_element(By.ID, "create-ca_certificates").get_attribute("value")
        shoot(admin, "refused")
        fill(admin, "create", {"move_to": "Done in Casebook", "password": "mail-secret"})
        admin.find_element(By.ID, "create").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(admin, lambda d: d.find_elements(By.ID, "action-test"))
        assert "mail-secret" not in admin.page_source

        admin.find_element(By.ID, "action-test").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(admin, lambda d: "Signed in and opened INBOX" in d.find_element(By.TAG_NAME, "main").text)
        assert "IDLE" in admin.find_element(By.TAG_NAME, "main").text
        shoot(admin, "tested")
        audit(admin, "/admin/mail-accounts/{id} after a test")

        # Casebook takes the mailbox over within its next look (ten seconds) and then hears of new mail through IDLE.
        deliver(folder, "From: Rosa Reader <rosa@customer.example>\r\nTo: support@desk.example\r\nSubject: Scanner shows E42\r\n"
                        f"Message-ID: <{uuid.uuid4().hex}@customer.example>\r\n\r\nThe scanner on floor 2 shows E42 since this morning.\r\n")
        deadline = time.time() + 45
        found = []
        while time.time() < deadline and not found:
            found = [c for c in desk.call("GET", "/cases?q=E42")["items"] if c.get("subject") == "Scanner shows E42"]
            time.sleep(0.5)
        assert found, "the mail became a case"
        assert found[0].get("group_id") == group["id"], "on the mailbox's address, so in its group"
        admin.get(desk.base + "/desk/cases/" + found[0]["reference"])
        wait_for(admin, lambda d: d.find_elements(By.ID, "replies-from"))
        assert "scanners@desk.example" in admin.find_element(By.ID, "replies-from").text
        shoot(admin, "case-on-address")
        def count(box):
            return sum(len(list((box / part).iterdir())) for part in ("new", "cur") if (box / part).exists())
        mailbox = folder / "mail" / "support"
        while time.time() < deadline and count(mailbox / ".Done in Casebook") == 0:
            time.sleep(0.2)
        assert count(mailbox) == 0 and count(mailbox / ".Done in Casebook") == 1, "moved once applied"

        admin.get(desk.base + "/admin/mail-accounts")
        rows = admin.find_elements(By.CSS_SELECTOR, "main table tbody tr")
        assert rows and "localhost" in rows[0].text and "1" in rows[0].text
        shoot(admin, "list")
        audit(admin, "/admin/mail-accounts")
        rows[0].find_element(By.LINK_TEXT, "Support mailbox").click()
        wait_for(admin, lambda d: d.find_elements(By.ID, "action-fetch"))
        shoot(admin, "after-mail")
    finally:
        subprocess.run(["bash", str(DOVECOT_SCRIPT), "stop", str(folder)], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
