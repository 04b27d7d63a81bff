"""Sign-in safety in Chromium: two-factor enrolment and sign-in with a code, recovery codes, sessions, password reset
by mail, and the audit log, each page photographed and checked with axe-core."""
import base64
import hashlib
import hmac
import pathlib
import random
import re
import struct
import subprocess
import time

from selenium.webdriver.common.by import By

from conftest import SHOTS
from test_accessibility import audit
from test_pages import PASSWORD, sign_in, wait_for


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 with SHA-1, six digits, 30-second steps: what an authenticator app shows."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"security-{name}.png"))


def fresh_code(secret: str, used: set[str]) -> str:
    """A code not used yet: a code works once, so wait for the next step when this one is spent."""
    while totp(secret) in used:
        time.sleep(1)
    code = totp(secret)
    used.add(code)
    return code


def test_two_factor_enrolment_and_sign_in_with_a_code(desk, browsers):
    used: set[str] = set()
    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + "/account")
    assert "Off." in ann.find_element(By.ID, "two-factor-state").text
    audit(ann, "/account")
    ann.find_element(By.CSS_SELECTOR, "form[action='/account/two-factor/begin'] button").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "totp-secret"))
    assert ann.find_element(By.CSS_SELECTOR, "img.qr").get_attribute("naturalWidth") != "0"
    secret = ann.find_element(By.ID, "totp-secret").text.strip()
    shoot(ann, "enrol")
    ann.find_element(By.ID, "confirm-code").send_keys("000000")
    ann.find_element(By.CSS_SELECTOR, "form[action='/account/two-factor/confirm'] button").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "account-error"))
    assert "match" in ann.find_element(By.ID, "account-error").text
    # Refused: enrolment starts again with a fresh secret, as a person would after a typo.
    ann.find_element(By.CSS_SELECTOR, "form[action='/account/two-factor/begin'] button").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "totp-secret"))
    secret = ann.find_element(By.ID, "totp-secret").text.strip()
    ann.find_element(By.ID, "confirm-code").send_keys(fresh_code(secret, used))
    ann.find_element(By.CSS_SELECTOR, "form[action='/account/two-factor/confirm'] button").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "recovery-codes"))
    codes = [c.text for c in ann.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", c) for c in codes)
    shoot(ann, "recovery-codes")
    audit(ann, "/account with recovery codes")

    # A second browser: the password is no longer enough.
    other = browsers()
    other.get(desk.base + "/login")
    other.find_element(By.ID, "email").send_keys("ann@desk.example")
    other.find_element(By.ID, "password").send_keys(PASSWORD)
    other.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(other, lambda d: d.find_elements(By.ID, "code"))
    audit(other, "/login code step")
    other.find_element(By.ID, "code").send_keys("123456")
    other.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
    wait_for(other, lambda d: d.find_elements(By.ID, "login-error"))
    assert other.find_element(By.ID, "code").get_attribute("value") == ""
    shoot(other, "code-refused")
    other.find_element(By.ID, "code").send_keys(fresh_code(secret, used))
    other.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
    wait_for(other, lambda d: "/desk" in d.current_url)

    # Ann sees both browsers and signs the other one out.
    ann.get(desk.base + "/account")
    rows = ann.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")
    assert len(rows) == 2 and "Headless Chrome on Linux" in rows[0].text
    shoot(ann, "sessions")
    ann.find_element(By.CSS_SELECTOR, "form[action='/account/sessions/end-others'] button").click()
    wait_for(ann, lambda d: d.find_elements(By.CSS_SELECTOR, ".flash"))
    assert len(ann.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")) == 1
    other.get(desk.base + "/desk")
    assert "/login" in other.current_url

    # A recovery code signs in once.
    other.find_element(By.ID, "email").send_keys("ann@desk.example")
    other.find_element(By.ID, "password").send_keys(PASSWORD)
    other.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(other, lambda d: d.find_elements(By.ID, "code"))
    other.find_element(By.ID, "code").send_keys(codes[0])
    other.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
    wait_for(other, lambda d: "/desk" in d.current_url)
    ann.get(desk.base + "/account")
    assert "9" in ann.find_element(By.ID, "two-factor-state").text


def test_staff_must_enrol_when_required_and_reset_by_mail(desk, browsers):
    desk.call("PUT", "/sign-in-settings", {"two_factor_required_for_staff": True})
    ben = browsers()
    sign_in(ben, desk, "ben@desk.example")
    assert "/account" in ben.current_url
    assert ben.find_elements(By.ID, "account-must-enrol")
    ben.get(desk.base + "/desk")
    assert "/account" in ben.current_url, "nothing else opens before enrolment"
    shoot(ben, "must-enrol")
    audit(ben, "/account (must enrol)")

    carla = browsers()
    carla.get(desk.base + "/login")
    carla.find_element(By.LINK_TEXT, "Forgot your password?").click()
    wait_for(carla, lambda d: d.find_elements(By.ID, "email"))
    audit(carla, "/password/forgot")
    carla.find_element(By.ID, "email").send_keys("carla@acme.example")
    carla.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(carla, lambda d: d.find_elements(By.ID, "forgot-sent"))
    shoot(carla, "forgot-sent")
    outbox = desk.cb.data_dir / "outbox"
    token = None
    deadline = time.time() + 30
    while token is None and time.time() < deadline:
        for mail in outbox.glob("*") if outbox.exists() else []:
            text = mail.read_text(errors="replace").replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
            found = re.search(r"/password/reset\?token=([A-Za-z0-9_-]{43})", text)
            if found and "carla@acme.example" in text:
                token = found.group(1)
        time.sleep(0.3)
    assert token, "the reset mail reached the outbox"
    carla.get(desk.base + "/password/reset?token=" + token)
    audit(carla, "/password/reset")
    carla.find_element(By.ID, "password").send_keys("a-brand-new-password")
    carla.find_element(By.ID, "password_again").send_keys("not-the-same-password")
    carla.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(carla, lambda d: d.find_elements(By.ID, "reset-error"))
    shoot(carla, "reset-mismatch")
    carla.find_element(By.ID, "password").send_keys("a-brand-new-password")
    carla.find_element(By.ID, "password_again").send_keys("a-brand-new-password")
    carla.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(carla, lambda d: "/login" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".notice"))
    carla.find_element(By.ID, "email").send_keys("carla@acme.example")
    carla.find_element(By.ID, "password").send_keys("a-brand-new-password")
    carla.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(carla, lambda d: "/portal" in d.current_url)
    carla.get(desk.base + "/password/reset?token=" + token)
    assert carla.find_elements(By.ID, "reset-lapsed"), "a link works once"


def test_audit_log_page_shows_who_changed_what(desk, browsers):
    group = desk.call("POST", "/groups", {"name": "Night shift"})
    desk.call("PATCH", f"/groups/{group['id']}", {"name": "Night shift (EU)"})
    admin = browsers()
    from test_areas import sign_in_admin
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/audit-log")
    audit(admin, "/admin/audit-log")
    text = admin.find_element(By.TAG_NAME, "main").text
    assert "sign-in with password" in text and f"PATCH /api/v1/groups/{group['id']}" in text
    shoot(admin, "audit-log")
    row = next(r for r in admin.find_elements(By.CSS_SELECTOR, "main table tbody tr") if "PATCH /api/v1/groups" in r.text)
    row.find_element(By.TAG_NAME, "a").click()
    wait_for(admin, lambda d: "Night shift (EU)" in d.find_element(By.TAG_NAME, "main").text)
    assert "Night shift" in admin.find_element(By.TAG_NAME, "main").text
    shoot(admin, "audit-entry")
    admin.get(desk.base + "/admin/sessions")
    audit(admin, "/admin/sessions")
    assert "admin@cb.example" in admin.find_element(By.TAG_NAME, "main").text
    shoot(admin, "all-sessions")
    admin.get(desk.base + "/account")
    assert admin.find_elements(By.ID, "policy-title")
    for width in (390,):
        admin.set_window_size(width, 900)
        for path in ("/account", "/admin/audit-log"):
            admin.get(desk.base + path)
            audit(admin, f"{path} at {width}px")


def start_provider(tmp_path, redirect_uri):
    """django-oidc-provider on a free loopback port, seeded by tests/integration/oidc/provider.py."""
    import socket
    import subprocess
    import urllib.request
    from pathlib import Path
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = Path(__file__).resolve().parents[1] / "integration" / "oidc" / "provider.py"
    log = open(tmp_path / "provider.log", "w")
    process = subprocess.Popen(["python3", str(script), str(port), str(tmp_path), redirect_uri], stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}/openid"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=2):
                return process, issuer
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise AssertionError("the OpenID provider did not start: " + (tmp_path / "provider.log").read_text())


def test_company_sign_in_with_a_real_openid_provider(desk, browsers, tmp_path):
    process, issuer = start_provider(tmp_path, desk.base + "/login/oidc/callback")
    try:
        provider = desk.call("POST", "/sign-in-providers", {
            "name": "Corp account", "issuer": issuer, "client_id": "casebook", "client_secret": "provider-secret: with words & symbols",
            "role_claim": "groups", "role_map": {"helpdesk-agents": "agent"}, "default_role": "customer", "creates_people": True})
        nina = browsers()
        nina.get(desk.base + "/login")
        audit(nina, "/login with a provider")
        shoot(nina, "login-providers")
        nina.find_element(By.PARTIAL_LINK_TEXT, "Corp account").click()
        wait_for(nina, lambda d: d.find_elements(By.ID, "id_username"))
        nina.find_element(By.ID, "id_username").send_keys("nina")
        nina.find_element(By.ID, "id_password").send_keys("provider-password")
        nina.find_element(By.ID, "provider-sign-in").click()
        wait_for(nina, lambda d: "/desk" in d.current_url, timeout=20)
        shoot(nina, "signed-in-by-provider")
        people = desk.call("GET", "/users?role=agent")
        assert any(p["email"] == "nina@corp.example" and p["name"] == "Nina Nurse" for p in people)

        carl = browsers()
        carl.get(desk.base + "/login")
        carl.find_element(By.PARTIAL_LINK_TEXT, "Corp account").click()
        wait_for(carl, lambda d: d.find_elements(By.ID, "id_username"))
        carl.find_element(By.ID, "id_username").send_keys("carl")
        carl.find_element(By.ID, "id_password").send_keys("provider-password")
        carl.find_element(By.ID, "provider-sign-in").click()
        wait_for(carl, lambda d: "/portal" in d.current_url, timeout=20)

        # Known people only: a new person is refused with a clear message on the sign-in page.
        desk.call("PATCH", f"/sign-in-providers/{provider['id']}", {"creates_people": False})
        desk.call("PATCH", f"/users/{next(p['id'] for p in desk.call('GET', '/users?role=customer') if p['email'] == 'carl@corp.example')}",
                  {"active": False})
        late = browsers()
        late.get(desk.base + "/login")
        late.find_element(By.PARTIAL_LINK_TEXT, "Corp account").click()
        wait_for(late, lambda d: d.find_elements(By.ID, "id_username"))
        late.find_element(By.ID, "id_username").send_keys("carl")
        late.find_element(By.ID, "id_password").send_keys("provider-password")
        late.find_element(By.ID, "provider-sign-in").click()
        wait_for(late, lambda d: d.find_elements(By.ID, "login-error"), timeout=20)
        assert "switched off" in late.find_element(By.ID, "login-error").text
        shoot(late, "provider-refused")
        log = desk.call("GET", "/audit-events?q=corp%20account")
        assert any(e["action"].startswith("sign-in with Corp account") for e in log)
        assert any(e["category"] == "sign_in_failed" for e in log)
    finally:
        process.kill()


LDAP_SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "integration" / "ldap" / "slapd.sh"


def start_directory(tmp_path):
    """A real OpenLDAP on loopback with StartTLS and its own CA (tests/integration/ldap/slapd.sh)."""
    folder = tmp_path / "ldap"
    for _ in range(3):
        port = random.randint(20_000, 40_000)
        done = subprocess.run(["bash", str(LDAP_SCRIPT), "start", str(folder), str(port)], capture_output=True, text=True)
        if done.returncode == 0:
            return folder, port
        subprocess.run(["bash", str(LDAP_SCRIPT), "stop", str(folder)], capture_output=True)
    raise AssertionError("slapd did not start: " + done.stderr)


def test_directory_sign_in_set_up_on_its_page_and_used_on_the_sign_in_form(desk, browsers, tmp_path):
    from test_areas import fill, open_form, sign_in_admin
    folder, port = start_directory(tmp_path)
    try:
        admin = browsers()
        sign_in_admin(admin, desk)
        admin.get(desk.base + "/admin/directories")
        open_form(admin, "create")
        # The safe choices start ticked: StartTLS and certificate checks.
        assert admin.find_element(By.ID, "create-start_tls").is_selected()
        assert admin.find_element(By.ID, "create-verify_certificates").is_selected()
        form = fill(admin, "create", {
            "name": "Corp directory", "url": f"ldap://localhost:{port}", "bind_dn": "cn=casebook,ou=services,dc=corp,dc=example",
            "bind_password": "service-secret", "base_dn": "dc=corp,dc=example", "user_filter": "(|(uid={login})(mail={login})",
            "group_attribute": "memberOf", "role_map": '{"helpdesk": "agent", "helpdesk-admins": "admin"}', "default_role": "customer",
            "creates_people": True})
        admin.find_element(By.ID, "create-ca_certificates").send_keys((folder / "ca.pem").read_text())
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # A broken filter comes back with the message and everything typed still there, the password excepted.
        wait_for(admin, lambda d: d.find_elements(By.ID, "create-error"))
        assert "user_filter" in admin.find_element(By.ID, "create-error").text or "filter" in admin.find_element(By.ID, "create-error").text
        assert admin.find_element(By.ID, "create-name").get_attribute("value") == "Corp directory"
        assert "BEGIN CERTIFICATE" in admin.find_element(By.ID, "create-ca_certificates").get_attribute("value")
        shoot(admin, "directory-refused")
        fill(admin, "create", {"user_filter": "(|(uid={login})(mail={login}))", "bind_password": "service-secret"})
        admin.find_element(By.ID, "create").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(admin, lambda d: d.find_elements(By.ID, "action-test"))
        assert "service-secret" not in admin.page_source

        fill(admin, "action-test", {"login": "dana"})
        admin.find_element(By.ID, "action-test").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(admin, lambda d: "dana@corp.example" in d.find_element(By.TAG_NAME, "main").text)
        text = admin.find_element(By.TAG_NAME, "main").text
        assert "helpdesk" in text and "agent" in text
        # The certificate is folded so the test's answer stays in view.
        assert admin.find_elements(By.CSS_SELECTOR, "dl.facts details.folded")
        shoot(admin, "directory-tested")
        audit(admin, "/admin/directories/{id} after a test")

        dana = browsers()
        dana.get(desk.base + "/login")
        assert "user name" in dana.find_element(By.CSS_SELECTOR, "label[for=email]").text
        dana.find_element(By.ID, "email").send_keys("dana")
        dana.find_element(By.ID, "password").send_keys("wrong-password")
        dana.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for(dana, lambda d: d.find_elements(By.ID, "login-error"))
        dana.find_element(By.ID, "password").send_keys("dana-pass")
        dana.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for(dana, lambda d: "/desk" in d.current_url)
        shoot(dana, "signed-in-by-directory")
        assert any(p["email"] == "dana@corp.example" for p in desk.call("GET", "/users?role=agent"))

        # Sync now, from the page: everyone is still there, so nobody is switched off.
        admin.find_element(By.ID, "action-sync").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(admin, lambda d: "switched_off" in d.find_element(By.TAG_NAME, "main").text.replace(" ", "_").lower()
                 or "Switched off" in d.find_element(By.TAG_NAME, "main").text)
        shoot(admin, "directory-synced")
    finally:
        subprocess.run(["bash", str(LDAP_SCRIPT), "stop", str(folder)], capture_output=True)
