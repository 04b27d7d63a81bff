"""Privacy requests and retention in Chromium: an admin finds a customer, downloads everything about them, is stopped
while their case is open or the confirmation is wrong (with what was typed kept), anonymises them, and sets up a
retention rule with a dry run and a legal hold."""
from selenium.webdriver.common.by import By

from test_accessibility import audit
from test_areas import fill, open_form, shoot, sign_in_admin
from test_pages import carla_id, open_case_for_carla, wait_for


def submit(driver, form_id):
    driver.find_element(By.ID, form_id).find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def test_an_admin_exports_then_anonymises_a_customer_on_request(desk, browsers):
    case = open_case_for_carla(desk, "Carla Customer cannot print")
    carla = carla_id(desk)
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/privacy?q=carla")
    assert "Carla Customer" in admin.find_element(By.TAG_NAME, "main").text
    audit(admin, "/admin/privacy")
    shoot(admin, "privacy-list")
    admin.find_element(By.LINK_TEXT, "Carla Customer").click()
    wait_for(admin, lambda d: d.find_elements(By.ID, "action-anonymise"))
    audit(admin, "/admin/privacy/{id}")
    shoot(admin, "privacy-person")

    # The export link hands over one ZIP; fetched as the browser would, with the admin's session.
    href = admin.find_element(By.PARTIAL_LINK_TEXT, "Download everything about them").get_attribute("href")
    answer = admin.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'}).then(async r => {
            const bytes = new Uint8Array(await r.arrayBuffer());
            done([r.status, r.headers.get('content-type'), String.fromCharCode(bytes[0], bytes[1]), bytes.length]);
        });""", href)
    assert answer[0] == 200 and answer[1] == "application/zip" and answer[2] == "PK" and answer[3] > 200, answer

    # A wrong confirmation comes back with the message and the typed text kept.
    fill(admin, "action-anonymise", {"confirm": "carla@acme.exampel"})
    submit(admin, "action-anonymise")
    wait_for(admin, lambda d: d.find_elements(By.ID, "action-anonymise-error"))
    assert "confirm" in admin.find_element(By.ID, "action-anonymise-error").text
    assert admin.find_element(By.ID, "action-anonymise-confirm").get_attribute("value") == "carla@acme.exampel"
    shoot(admin, "privacy-refused")
    # Her case is still open: nothing is changed until it is solved.
    fill(admin, "action-anonymise", {"confirm": "carla@acme.example"})
    submit(admin, "action-anonymise")
    wait_for(admin, lambda d: "still open" in d.find_element(By.TAG_NAME, "main").text)
    version = desk.call("GET", f"/cases/{case['reference']}")["version"]
    desk.call("PATCH", f"/cases/{case['reference']}", {"version": version, "status": "solved"})
    fill(admin, "action-anonymise", {"confirm": "carla@acme.example"})
    submit(admin, "action-anonymise")
    wait_for(admin, lambda d: "Anonymise: result" in d.find_element(By.TAG_NAME, "main").text)
    shoot(admin, "privacy-anonymised")
    audit(admin, "/admin/privacy/{id} after anonymising")
    person = desk.call("GET", f"/users/{carla}")
    assert person["name"] == "Anonymised person" and person["email"].endswith("@anonymised.invalid")
    assert desk.call("GET", f"/cases/{case['reference']}")["subject"] == "[removed] cannot print"


def test_an_admin_sets_a_retention_rule_tries_it_dry_and_holds_a_case(desk, browsers):
    case = open_case_for_carla(desk, "Keep this one for the auditors")
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/retention")
    audit(admin, "/admin/retention")
    open_form(admin, "create")
    fill(admin, "create", {"name": "Anonymise after two years", "months": "700"})
    submit(admin, "create")
    wait_for(admin, lambda d: d.find_elements(By.ID, "create-error"))
    assert "Months after a case is solved or closed: must be between 1 and 600" in admin.find_element(By.ID, "create-error").text
    assert admin.find_element(By.ID, "create-name").get_attribute("value") == "Anonymise after two years"
    fill(admin, "create", {"months": "24"})
    submit(admin, "create")
    wait_for(admin, lambda d: d.find_elements(By.ID, "action-dry-run"))
    submit(admin, "action-dry-run")
    wait_for(admin, lambda d: "Dry run: result" in d.find_element(By.TAG_NAME, "main").text)
    main = admin.find_element(By.TAG_NAME, "main").text
    assert "Cutoff" in main or "cutoff" in main.lower(), main
    shoot(admin, "retention-dry-run")
    audit(admin, "/admin/retention/{id} after a dry run")

    admin.get(desk.base + "/admin/legal-holds")
    fill(admin, "create", {"case_reference": case["reference"], "reason": "Auditors asked us to keep it"})
    submit(admin, "create")
    wait_for(admin, lambda d: d.find_elements(By.ID, "action-lift"))
    admin.get(desk.base + "/admin/legal-holds")
    assert case["reference"] in admin.find_element(By.TAG_NAME, "main").text
    audit(admin, "/admin/legal-holds")
    shoot(admin, "legal-holds")
