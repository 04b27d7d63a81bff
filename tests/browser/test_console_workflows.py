"""Agent workflows in Chromium: a case opened for a caller (found among the contacts, or added on the spot); a case's
details edited with the form kept on a refusal; someone copied on the replies; a knowledge article inserted into the
reply and marked as the answer; the customer's satisfaction history beside the case."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS
from test_accessibility import audit
from test_areas import dark
from test_pages import open_case_for_carla, sign_in, wait_for


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"console-{name}.png"))


def body_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def as_person(desk, email, method, path, body=None):
    """Calls the API as someone other than the admin, with a token the CLI issues for them."""
    token = desk.cb.cli("token", "issue", "--email", email).split()[-1]
    request = urllib.request.Request(desk.base + "/api/v1" + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        text = response.read()
        return json.loads(text) if text else None


def test_an_agent_opens_cases_for_a_known_caller_and_for_someone_new(desk, browsers):
    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + "/desk")
    ann.find_element(By.ID, "new-case-link").click()
    wait_for(ann, lambda d: d.current_url.endswith("/desk/new"))
    audit(ann, "/desk/new")
    shoot(ann, "new-case-1440-light")

    # What the caller says is typed first; finding them afterwards keeps it.
    ann.find_element(By.ID, "n-subject").send_keys("Printer in room 4 shows E02")
    ann.find_element(By.ID, "n-description").send_keys("Carla called: the printer in room 4 stops with E02 after ten pages.")
    ann.find_element(By.ID, "n-find").send_keys("carla")
    ann.find_element(By.ID, "n-find-button").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "n-found") and "Carla Customer" in d.find_element(By.ID, "n-found").text)
    assert ann.find_element(By.ID, "n-subject").get_attribute("value") == "Printer in room 4 shows E02"
    chosen = ann.find_element(By.CSS_SELECTOR, "#n-found input[type=radio]")
    assert chosen.is_selected(), "the only match is chosen"
    assert Select(ann.find_element(By.ID, "n-channel")).first_selected_option.get_attribute("value") == "phone"
    Select(ann.find_element(By.ID, "n-priority")).select_by_value("high")
    ann.find_element(By.ID, "n-create").click()
    wait_for(ann, lambda d: "/desk/cases/" in d.current_url)
    reference = ann.current_url.rsplit("/", 1)[-1].split("#")[0]
    assert f"Case {reference} opened." in body_text(ann)
    case = desk.call("GET", f"/cases/{reference}")
    assert case["channel"] == "phone" and case["priority"] == "high" and case["assignee_id"], case
    assert "Carla Customer" in ann.find_element(By.ID, "customer-title").find_element(By.XPATH, "..").text

    # Someone nobody knows yet, met at the desk: the address found nothing, so "someone new" is chosen with it.
    ann.get(desk.base + "/desk/new")
    ann.find_element(By.ID, "n-subject").send_keys("Badge printer cannot find its ribbon")
    ann.find_element(By.ID, "n-description").send_keys("Dora came to the desk with the badge printer's ribbon error.")
    Select(ann.find_element(By.ID, "n-channel")).select_by_value("walk_in")
    ann.find_element(By.ID, "n-find").send_keys("dora@newco.example")
    ann.find_element(By.ID, "n-find-button").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "n-none"))
    assert ann.find_element(By.ID, "p-new").is_selected()
    assert ann.find_element(By.ID, "n-new-email").get_attribute("value") == "dora@newco.example"
    # No name: refused, and nothing typed is lost.
    ann.find_element(By.ID, "n-create").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "new-case-error"))
    assert "Name" in ann.find_element(By.ID, "new-case-error").text, ann.find_element(By.ID, "new-case-error").text
    assert ann.find_element(By.ID, "n-description").get_attribute("value").startswith("Dora came to the desk")
    assert Select(ann.find_element(By.ID, "n-channel")).first_selected_option.get_attribute("value") == "walk_in"
    assert ann.find_element(By.ID, "p-new").is_selected()
    assert ann.find_elements(By.ID, "n-none"), "the search's answer is still shown"
    audit(ann, "/desk/new with a refusal")
    shoot(ann, "new-case-refused")
    ann.find_element(By.ID, "n-new-name").send_keys("Dora Newcomer")
    Select(ann.find_element(By.ID, "n-new-org")).select_by_visible_text("Acme Printing")
    ann.find_element(By.ID, "n-create").click()
    wait_for(ann, lambda d: "/desk/cases/" in d.current_url)
    reference = ann.current_url.rsplit("/", 1)[-1].split("#")[0]
    case = desk.call("GET", f"/cases/{reference}")
    dora = [p for p in desk.call("GET", "/users?role=customer") if p["email"] == "dora@newco.example"]
    assert len(dora) == 1 and dora[0]["name"] == "Dora Newcomer" and dora[0]["organisation_id"] == desk.org["id"]
    assert case["requester_id"] == dora[0]["id"] and case["channel"] == "walk_in" and case["organisation_id"] == desk.org["id"]

    dark(ann)
    ann.set_window_size(390, 900)
    ann.get(desk.base + "/desk/new")
    audit(ann, "/desk/new at 390 px, dark")
    shoot(ann, "new-case-390-dark")
    dark(ann, False)
    ann.set_window_size(1366, 1000)


def test_the_case_page_edits_details_copies_people_offers_knowledge_and_shows_satisfaction(desk, browsers):
    # An earlier case of Carla's, solved and rated poorly.
    earlier = open_case_for_carla(desk, "Scanner sends blank pages")["reference"]
    desk.call("PATCH", f"/cases/{earlier}", {"version": 1, "status": "solved"})
    as_person(desk, "carla@acme.example", "POST", f"/cases/{earlier}/satisfaction", {"score": 2, "comment": "It took three days to hear back."})
    article = desk.call("POST", "/knowledge/articles", {"title": "Clearing paper jams on tray 2", "status": "published", "audience": "public",
                                                       "body": "Open tray 2, pull the green lever and remove the jammed sheet."})
    reference = open_case_for_carla(desk, "Paper jams on tray 2")["reference"]
    article_id = article["id"].lower()

    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + f"/desk/cases/{reference}")
    history = ann.find_element(By.ID, "satisfaction-history").text
    assert "2 / 5" in history and earlier in history and "three days" in history, history

    # Knowledge: the article goes into the reply, then is marked as the answer.
    ann.find_element(By.ID, f"insert-{article_id}").click()
    wait_for(ann, lambda d: "pull the green lever" in d.find_element(By.ID, "reply-text").get_attribute("value"))
    assert f"/kb/{article_id}" in ann.find_element(By.ID, "reply-text").get_attribute("value")
    ann.find_element(By.ID, f"solve-{article_id}").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, f"solved-{article_id}"))
    assert [a["id"] for a in desk.call("GET", f"/cases/{reference}/articles")] == [article["id"]]

    # Details: a refusal keeps what was typed; a good save lands on the timeline.
    ann.find_element(By.CSS_SELECTOR, "#case-details summary").click()
    subject = ann.find_element(By.ID, "d-subject")
    subject.clear()
    subject.send_keys("Paper jams on tray 2 after the toner change")
    ann.find_element(By.ID, "d-tags").send_keys("jam, tray2")
    requester = ann.find_element(By.ID, "d-requester")
    requester.clear()
    requester.send_keys("nobody@nowhere.example")
    ann.find_element(By.ID, "details-save").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "details-error"))
    assert "nobody we know" in ann.find_element(By.ID, "details-error").text
    assert ann.find_element(By.ID, "d-subject").get_attribute("value") == "Paper jams on tray 2 after the toner change"
    assert ann.find_element(By.ID, "case-details").get_attribute("open") is not None
    audit(ann, "case page with a refused details form")
    requester = ann.find_element(By.ID, "d-requester")
    requester.clear()
    requester.send_keys("carla@acme.example")
    Select(ann.find_element(By.ID, "d-version")).select_by_visible_text("Printer 4.2")
    Select(ann.find_element(By.ID, "d-category")).select_by_visible_text("Printing")
    ann.find_element(By.ID, "details-save").click()
    wait_for(ann, lambda d: "Details saved." in body_text(d))
    case = desk.call("GET", f"/cases/{reference}")
    assert case["subject"] == "Paper jams on tray 2 after the toner change" and sorted(case["tags"]) == ["jam", "tray2"]
    assert case["product_version_id"] == desk.version["id"] and case["product_id"] == desk.product["id"] and case["category_id"] == desk.category["id"]
    timeline = ann.find_element(By.CLASS_NAME, "timeline").text if ann.find_elements(By.CLASS_NAME, "timeline") else body_text(ann)
    assert "after the toner change" in timeline and "Printing" in timeline

    # Copies: a colleague from the partner company gets the replies too.
    ann.find_element(By.ID, "cc-address").send_keys("olga@partner.example")
    ann.find_element(By.ID, "cc-add").click()
    wait_for(ann, lambda d: "olga@partner.example" in d.find_element(By.ID, "copy-list").text)
    assert desk.call("GET", f"/cases/{reference}/cc")[0]["address"] == "olga@partner.example"
    ann.find_element(By.ID, "cc-address").send_keys("carla@acme.example")
    ann.find_element(By.ID, "cc-add").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "cc-error") and "requester" in d.find_element(By.ID, "cc-error").text)
    assert ann.find_element(By.ID, "cc-address").get_attribute("value") == "carla@acme.example"
    audit(ann, "case page with copies, knowledge and satisfaction")
    shoot(ann, "case-1440-light")
    dark(ann)
    ann.set_window_size(390, 900)
    ann.get(desk.base + f"/desk/cases/{reference}")
    audit(ann, "case page at 390 px, dark")
    shoot(ann, "case-390-dark")
    dark(ann, False)
    ann.set_window_size(1366, 1000)
    ann.get(desk.base + f"/desk/cases/{reference}")
    ann.find_element(By.CSS_SELECTOR, "#copy-list button").click()
    wait_for(ann, lambda d: "is no longer copied" in body_text(d))
    assert desk.call("GET", f"/cases/{reference}/cc") == []
