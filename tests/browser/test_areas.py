"""Every area behind the API has pages: each opens, passes the audit and axe-core at desk and phone width, is
photographed, and its forms work in Chromium the way a support manager would use them."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS
from test_accessibility import audit
from test_pages import open_case_for_carla, sign_in, wait_for

SECTIONS = ["/customers", "/knowledge", "/problems", "/equipment", "/reports", "/admin"]
AREAS = ["/reports/dashboard", "/reports/weekly", "/problems/notices", "/equipment/low-stock", "/reports/satisfaction", "/reports/deflection", "/reports/charts", "/customers/organisations", "/customers/people", "/admin/canned", "/customers/ranking", "/knowledge/articles", "/problems/records", "/problems/rca",
         "/problems/early-warnings", "/equipment/assets", "/equipment/plans", "/equipment/work-orders", "/equipment/parts",
         "/equipment/vendors", "/equipment/alerts", "/reports/service-levels", "/admin/sla-policies", "/admin/calendars",
         "/admin/automations", "/admin/jobs", "/admin/inbound-mail", "/admin/outbound-mail", "/admin/custom-fields", "/admin/tokens",
         "/admin/webhooks", "/admin/webhook-deliveries", "/admin/imports", "/admin/audit-log", "/admin/sessions", "/admin/sign-in-providers",
         "/admin/directories", "/admin/privacy", "/admin/retention", "/admin/legal-holds", "/customers/bounced-addresses", "/reports/time"]


def sign_in_admin(driver, desk):
    driver.get(desk.base + "/login")
    driver.find_element(By.ID, "email").send_keys("admin@cb.example")
    driver.find_element(By.ID, "password").send_keys("a-long-admin-password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, lambda d: "/login" not in d.current_url)


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"area-{name}.png"))


def open_form(driver, form_id):
    """Unfolds a form that sits folded under a list (a create form once the list has entries)."""
    box = driver.find_element(By.ID, form_id).find_element(By.XPATH, "./ancestor::details")
    if not box.get_attribute("open"):
        box.find_element(By.TAG_NAME, "summary").click()


def fill(driver, form_id, values):
    form = driver.find_element(By.ID, form_id)
    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            Select(field).select_by_visible_text(value)
        elif field.get_attribute("type") == "checkbox":
            if field.is_selected() != bool(value):
                field.click()
        else:
            field.clear()
            field.send_keys(value)
    return form


def test_every_area_opens_passes_axe_and_is_photographed(desk, browsers):
    admin = browsers()
    sign_in_admin(admin, desk)
    for width in (1366, 390):
        admin.set_window_size(width, 900)
        for path in SECTIONS + AREAS:
            admin.get(desk.base + path)
            assert admin.find_element(By.TAG_NAME, "h1").text, path
            audit(admin, f"{path} at {width}px")
            shoot(admin, path.strip("/").replace("/", "-") + f"-{width}")
    # Each section is in the header, and the one open is marked.
    admin.set_window_size(1366, 900)
    admin.get(desk.base + "/equipment/assets")
    current = admin.find_element(By.CSS_SELECTOR, "header nav a[aria-current=page]")
    assert current.text == "Equipment"
    assert [a.text for a in admin.find_elements(By.CSS_SELECTOR, "header nav a")][:7] == [
        "Desk", "Customers", "Knowledge", "Problems", "Equipment", "Reports", "Admin"]


def test_a_manager_sets_up_service_levels_and_a_refused_form_keeps_what_was_typed(desk, browsers):
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/calendars")
    periods = '[{"weekday": "monday", "start": "09:00", "end": "17:00"}]'
    fill(admin, "create", {"name": "Madrid office", "time_zone": "Mars/Olympus", "periods": periods}).submit()
    wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#create [role=alert]"))
    assert "Time zone: must be an IANA time zone" in admin.find_element(By.CSS_SELECTOR, "#create [role=alert]").text, "the form says it with its own label"
    assert admin.find_element(By.ID, "create-name").get_attribute("value") == "Madrid office"
    assert admin.find_element(By.ID, "create-periods").get_attribute("value") == periods
    assert admin.find_element(By.ID, "create-time_zone").get_attribute("aria-invalid") == "true"
    audit(admin, "refused calendar form")
    shoot(admin, "calendar-refused")
    fill(admin, "create", {"time_zone": "Europe/Madrid"}).submit()
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Madrid office")
    assert "Saved." in admin.find_element(By.CSS_SELECTOR, ".flash").text

    admin.get(desk.base + "/admin/sla-policies")
    fill(admin, "create", {"name": "Gold", "calendar_id": "Madrid office", "targets.urgent.first_response_minutes": "60",
                           "targets.urgent.resolution_minutes": "480", "active": True}).submit()
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Gold")
    facts = admin.find_element(By.CSS_SELECTOR, ".facts").text
    assert "Madrid office" in facts and "60" in facts
    open_form(admin, "edit")
    assert admin.find_element(By.ID, "edit-targets-urgent-first_response_minutes").get_attribute("value") == "60"
    audit(admin, "policy page")
    shoot(admin, "policy-entry")


def test_an_agent_records_a_problem_links_a_case_and_writes_an_article(desk, browsers):
    reference = open_case_for_carla(desk, "Tray 2 jams since firmware 4.2")["reference"]
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    assert "Admin" not in [a.text for a in agent.find_elements(By.CSS_SELECTOR, "header nav a")]
    agent.get(desk.base + "/problems/records")
    fill(agent, "create", {"title": "Firmware 4.2 jams tray 2", "status": "known error", "workaround": "Feed from tray 1."}).submit()
    wait_for(agent, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Firmware 4.2 jams tray 2")
    open_form(agent, "action-cases")
    fill(agent, "action-cases", {"reference": reference}).submit()
    wait_for(agent, lambda d: d.find_elements(By.LINK_TEXT, reference))
    audit(agent, "problem page")
    shoot(agent, "problem-entry")

    agent.get(desk.base + f"/desk/cases/{reference}")
    agent.find_element(By.LINK_TEXT, "Time, calls, repairs, problem, RCA and article").click()
    wait_for(agent, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Tray 2 jams since firmware 4.2")
    fill(agent, "action-calls", {"direction": "outbound", "number": "+34 600 100 200", "duration_seconds": "240",
                                 "notes": "Explained the workaround."}).submit()
    wait_for(agent, lambda d: "Explained the workaround." in d.page_source)
    assert "Firmware 4.2 jams tray 2" in agent.page_source, "the case's problem is shown"
    audit(agent, "case work page")
    shoot(agent, "case-work")

    agent.get(desk.base + "/knowledge/articles")
    fill(agent, "create", {"title": "Tray 2 jams after the 4.2 update", "body": "Feed paper from tray 1 until 4.3 is installed.",
                           "status": "published", "audience": "public", "language": "en"}).submit()
    wait_for(agent, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Tray 2 jams after the 4.2 update")
    open_form(agent, "edit")
    fill(agent, "edit", {"title": "Tray 2 jams after the firmware 4.2 update"}).submit()
    wait_for(agent, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Tray 2 jams after the firmware 4.2 update")

    agent.get(desk.base + "/admin/jobs")
    assert agent.find_element(By.TAG_NAME, "h1").text == "Not allowed"


def test_an_admin_edits_an_intake_flow_visually_previews_it_and_publishes(desk, browsers):
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + f"/admin/categories/{desk.category['id']}/intake")
    # The seeded flow has five questions; the first blank one adds a sixth.
    blank = admin.find_elements(By.CSS_SELECTOR, "fieldset.question-editor.new")[0]
    index = blank.get_attribute("id").split("-")[1]
    form = admin.find_element(By.ID, "intake-editor")
    form.find_element(By.NAME, f"q{index}.label").send_keys("Where is the printer?")
    form.find_element(By.NAME, f"q{index}.key").send_keys("location")
    form.find_element(By.NAME, f"q{index}.why").send_keys("So the engineer finds it on the first visit.")
    audit(admin, "intake editor")
    shoot(admin, "intake-editor")
    editor = admin.current_window_handle
    admin.find_element(By.XPATH, "//button[contains(., 'Preview as a customer')]").click()
    wait_for(admin, lambda d: len(d.window_handles) == 2)
    admin.switch_to.window([h for h in admin.window_handles if h != editor][0])
    wait_for(admin, lambda d: "Where is the printer?" in d.page_source)
    assert "Preview of an unpublished version" in admin.page_source
    assert "So the engineer finds it on the first visit." in admin.page_source
    assert admin.find_element(By.ID, "file-request").get_attribute("disabled") is not None
    shoot(admin, "intake-preview")
    admin.close()
    admin.switch_to.window(editor)
    admin.find_element(By.XPATH, "//button[contains(., 'Publish new version')]").click()
    wait_for(admin, lambda d: "Published version 2: added location." in d.find_element(By.CSS_SELECTOR, ".flash").text)


def dark(driver, on=True):
    """Asks the page for the dark scheme, as a system set to dark mode does."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark" if on else "light"}]})


def test_pages_follow_the_system_dark_mode_and_keep_their_contrast(desk, browsers):
    reference = open_case_for_carla(desk, "Dark mode check")["reference"]
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    customer = browsers()
    sign_in(customer, desk, "carla@acme.example")
    admin = browsers()
    sign_in_admin(admin, desk)
    pages = [(agent, "/desk?view=all", "desk-queue"), (agent, f"/desk/cases/{reference}", "desk-case"), (agent, "/reports/dashboard", "dashboard"),
             (agent, "/equipment/assets", "assets"), (customer, "/portal", "portal"), (customer, f"/portal/cases/{reference}", "portal-case"),
             (admin, "/admin/webhooks", "webhooks"), (admin, "/admin/webhook-deliveries", "webhook-deliveries"), (admin, "/admin/imports", "imports"),
             (admin, "/admin/imports/upload", "import-upload"), (agent, "/customers/people", "people"), (admin, "/admin/privacy", "privacy"), (admin, "/admin/retention", "retention"),
             (admin, "/admin/mail-accounts", "mailboxes"), (admin, "/admin/mail-addresses", "addresses"), (agent, "/desk/notifications", "notifications")]
    for scheme in ("light", "dark"):
        for driver, path, name in pages:
            dark(driver, scheme == "dark")
            for width in (1440, 390):
                driver.set_window_size(width, 900)
                driver.get(desk.base + path)
                background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
                assert (background == "rgb(17, 20, 24)") == (scheme == "dark"), f"{path} {scheme}: {background}"
                audit(driver, f"{path} at {width}px, {scheme}")
                shoot(driver, f"{name}-{width}-{scheme}")
                if name == "desk-queue" and width == 390:
                    # On a phone the first case in the queue shows without scrolling.
                    row = driver.execute_script("const r = document.querySelector('table.cases tbody tr');"
                                                " return r && [r.getBoundingClientRect().bottom, window.innerHeight]")
                    assert row and row[0] <= row[1], f"the first case row ends at {row} (bottom, viewport height)"


def test_every_create_form_refuses_an_empty_submission_on_the_page_and_customers_never_see_an_area(desk, browsers):
    admin = browsers()
    sign_in_admin(admin, desk)
    checked = 0
    for path in AREAS:
        admin.get(desk.base + path)
        if not admin.find_elements(By.ID, "create"):
            continue
        open_form(admin, "create")
        admin.execute_script("document.getElementById('create').submit()")
        wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#create [role=alert]"))
        assert admin.find_element(By.CSS_SELECTOR, "#create [role=alert]").text.strip(), path
        assert admin.find_element(By.ID, "create").find_element(By.XPATH, "./ancestor::details").get_attribute("open") is not None, path
        checked += 1
    assert checked >= 15, checked
    customer = browsers()
    sign_in(customer, desk, "carla@acme.example")
    for path in SECTIONS + AREAS:
        customer.get(desk.base + path)
        assert customer.current_url.endswith("/portal"), f"{path} → {customer.current_url}"


class _Receiver(BaseHTTPRequestHandler):
    """A chat channel's incoming webhook on loopback: keeps what it is sent."""
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Receiver.received.append((self.path, dict(self.headers), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_an_admin_connects_a_chat_channel_sees_the_delivery_and_sends_it_again(desk, browsers):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ops"
    try:
        admin = browsers()
        sign_in_admin(admin, desk)
        admin.get(desk.base + "/admin/webhooks")
        fill(admin, "create", {"name": "Ops room", "url": url, "format": "mattermost", "events": "case.created"}).submit()
        wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#create [role=alert]"))
        assert "private" in admin.find_element(By.CSS_SELECTOR, "#create [role=alert]").text
        assert admin.find_element(By.ID, "create-url").get_attribute("value") == url
        shoot(admin, "webhook-refused")
        fill(admin, "create", {"allow_private": True, "active": True}).submit()
        wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Ops room")
        assert "The signing secret, shown only now: whsec_" in admin.find_element(By.CSS_SELECTOR, ".flash").text
        audit(admin, "webhook page")
        shoot(admin, "webhook-entry")

        case = open_case_for_carla(desk, subject="Projector in room 4 is dead")
        deadline = time.time() + 10
        while time.time() < deadline and not _Receiver.received:
            time.sleep(0.2)
        path, headers, body = _Receiver.received[0]
        assert path == "/hooks/ops" and headers.get("Casebook-Event") == "case.created"
        attachment = body["attachments"][0]
        assert case["reference"] in attachment["title"] and attachment["title_link"].endswith("/desk/cases/" + case["reference"])

        admin.find_element(By.LINK_TEXT, "Delivery log").click()
        wait_for(admin, lambda d: case["reference"] in d.page_source)
        assert "delivered" in admin.page_source
        audit(admin, "delivery log")
        shoot(admin, "webhook-deliveries")
        admin.find_element(By.CSS_SELECTOR, "table a[href*='/admin/webhook-deliveries/']").click()
        wait_for(admin, lambda d: d.find_elements(By.XPATH, "//button[normalize-space()='Send again']"))
        admin.find_element(By.XPATH, "//button[normalize-space()='Send again']").click()
        wait_for(admin, lambda d: "Queued to send again." in d.find_element(By.CSS_SELECTOR, ".flash").text)
        deadline = time.time() + 10
        while time.time() < deadline and len(_Receiver.received) < 2:
            time.sleep(0.2)
        assert len(_Receiver.received) == 2 and _Receiver.received[1][2] == body
    finally:
        server.shutdown()
