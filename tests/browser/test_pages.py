"""The console, portal and intake flows in a real headless Chromium."""
import re
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "a-long-test-password"


def sign_in(driver, desk, email):
    driver.get(desk.base + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/login" not in d.current_url)


def _replaced(error):
    """Whether `error` means the element's page was replaced: Chromium says "stale element" or "does not belong to the
    document"."""
    return isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)


def wait_for(driver, condition, timeout=10):
    """Waits for `condition`, across the page being replaced under it.

    After a form posts, the old page's elements can be found and then detached by the navigation before their text
    is read; both of Chromium's answers for that mean: look again on the new page.
    """
    def settled(d):
        try:
            return condition(d)
        except WebDriverException as error:
            if _replaced(error):
                return False
            raise
    return WebDriverWait(driver, timeout).until(settled)


def wait_until_replaced(driver, element, timeout=10):
    """Waits until `element`'s page has been replaced."""
    def detached(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException as error:
            if _replaced(error):
                return True
            raise
    return WebDriverWait(driver, timeout).until(detached)


def carla_id(desk):
    users = desk.call("GET", "/users")
    items = users["items"] if isinstance(users, dict) else users
    return next(u["id"] for u in items if u["email"] == "carla@acme.example")


def open_case_for_carla(desk, subject="Printer jams on every page"):
    return desk.call("POST", "/cases", {"subject": subject, "description": "Paper jams after the first page since Monday.",
                                        "requester_id": carla_id(desk), "priority": "normal"})


def test_agent_triages_replies_and_notes_and_the_note_stays_internal(desk, browsers):
    case = open_case_for_carla(desk)
    ref = case["reference"]
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + "/desk?view=unassigned")
    assert ref in agent.page_source
    agent.find_element(By.LINK_TEXT, ref).click()
    wait_for(agent, EC.presence_of_element_located((By.ID, "fields-form")))
    Select(agent.find_element(By.ID, "f-assignee")).select_by_visible_text("Ann Agent")
    Select(agent.find_element(By.ID, "f-priority")).select_by_value("high")
    agent.find_element(By.ID, "fields-save").click()
    wait_for(agent, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Case updated"))
    agent.find_element(By.ID, "reply-text").send_keys("Hello Carla, please send a photo of the paper path.")
    agent.find_element(By.ID, "reply-send").click()
    wait_for(agent, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Reply sent"))
    agent.find_element(By.ID, "vis-internal").click()
    agent.find_element(By.ID, "reply-text").send_keys("Internal: roller kit 4711 is on back order.")
    agent.find_element(By.ID, "reply-send").click()
    wait_for(agent, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Internal note added"))
    notes = agent.find_elements(By.CSS_SELECTOR, ".entry.internal article")
    assert any("roller kit 4711" in n.text for n in notes)
    assert "Internal note" in notes[-1].text
    # Typing the same public update again is flagged before it is sent, in the page's words.
    agent.find_element(By.ID, "vis-public").click()
    agent.find_element(By.ID, "reply-text").send_keys("Hello Carla, please send a photo of the paper path!")
    wait_for(agent, lambda d: d.find_element(By.ID, "repeat-warning").is_displayed())
    warning = agent.find_element(By.ID, "repeat-warning").text
    assert "% alike" in warning and "{{" not in warning, warning
    agent.find_element(By.ID, "reply-text").clear()
    after = desk.call("GET", f"/cases/{ref}")
    assert after["priority"] == "high" and after["assignee_id"]

    customer = browsers()
    sign_in(customer, desk, "carla@acme.example")
    customer.get(desk.base + f"/portal/cases/{ref}")
    body = customer.find_element(By.TAG_NAME, "main").text
    assert "please send a photo of the paper path" in body
    assert "roller kit 4711" not in customer.page_source
    assert "Internal note" not in customer.page_source
    # The desk is closed to customers: they are sent to their portal.
    customer.get(desk.base + f"/desk/cases/{ref}")
    assert "/portal" in customer.current_url


def test_customer_files_through_a_branching_intake_flow_in_spanish(desk, browsers):
    browser = browsers()
    sign_in(browser, desk, "sofia@acme.example")
    browser.get(desk.base + "/portal/new")
    assert "Nueva solicitud" in browser.page_source
    browser.find_element(By.PARTIAL_LINK_TEXT, "Printing").click()
    wait_for(browser, EC.presence_of_element_located((By.ID, "intake")))
    # Known from the record: the organisation is shown, not asked.
    company = browser.find_element(By.ID, "q-company")
    assert "Acme Printing" in company.text and not company.find_elements(By.TAG_NAME, "textarea")
    assert "Por qué lo preguntamos" in browser.find_element(By.ID, "why-version").text
    error_code = browser.find_element(By.ID, "q-error_code")
    assert not error_code.is_displayed()
    browser.find_element(By.ID, "subject").send_keys("La impresora muestra un error")
    browser.find_element(By.ID, "description").send_keys("Se detiene tras la primera página.")
    Select(browser.find_element(By.ID, "answer-version")).select_by_visible_text("Printer 4.2")
    browser.find_element(By.CSS_SELECTOR, "input[name=answer_shows_error][value=yes]").click()
    wait_for(browser, lambda d: error_code.is_displayed())
    browser.find_element(By.ID, "answer-tried").send_keys("Apagar y encender.")
    browser.find_element(By.ID, "file-request").click()
    # The branch question is required once shown: the form comes back with the problem beside it, input kept.
    wait_for(browser, EC.presence_of_element_located((By.ID, "form-errors")))
    # ...in the customer's language.
    fault = browser.find_element(By.ID, "q-error_code").text
    assert "responda a esta pregunta." in fault and "is required" not in fault, fault
    assert browser.find_element(By.ID, "subject").get_attribute("value") == "La impresora muestra un error"
    browser.find_element(By.CSS_SELECTOR, "input[name=answer_error_code][value=E02]").click()
    browser.find_element(By.ID, "file-request").click()
    wait_for(browser, lambda d: "/portal/cases/" in d.current_url)
    ref = browser.current_url.rsplit("/", 1)[-1]
    assert "Gracias" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    # The record reads in Spanish too: the opening in her words, no desk badges.
    record = browser.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert "abrió la solicitud" in record and "Public" not in record and "opened" not in record
    intake = desk.call("GET", f"/cases/{ref}/intake")
    answers = {a["key"]: a for a in intake["answers"]}
    assert answers["company"]["answer"] == "Acme Printing" and answers["company"]["prefilled"]
    assert answers["error_code"]["answer"] == "E02"
    assert answers["version"]["answer"] == "Printer 4.2"
    assert answers["tried"]["already_tried"]
    assert desk.call("GET", f"/cases/{ref}")["product_version_id"] == desk.version["id"]


def test_knowledge_is_suggested_while_the_customer_types(desk, browsers):
    desk.call("POST", "/knowledge/articles", {"title": "Clearing a paper jam in tray 2", "status": "published", "audience": "public",
                                              "body": "Open tray 2, pull the green lever and remove the jammed paper. Paper jams after the first page mean a worn pickup roller."})
    browser = browsers()
    sign_in(browser, desk, "carla@acme.example")
    browser.get(desk.base + f"/portal/new/{desk.category['id']}")
    browser.find_element(By.ID, "subject").send_keys("Paper jam in tray 2")
    browser.find_element(By.ID, "description").send_keys("Paper jams after the first page.")
    box = browser.find_element(By.ID, "kb-suggestions")
    wait_for(browser, lambda d: box.is_displayed())
    assert "Clearing a paper jam in tray 2" in box.text
    assert browser.find_element(By.ID, "suggestion-id").get_attribute("value")


def test_intake_works_without_javascript(desk, browsers):
    browser = browsers(javascript=False)
    sign_in(browser, desk, "carla@acme.example")
    browser.get(desk.base + f"/portal/new/{desk.category['id']}")
    # Without a script every question shows, saying when it applies.
    condition = browser.find_element(By.ID, "q-error_code")
    assert condition.is_displayed() and "Only if you answered" in condition.text
    browser.find_element(By.ID, "subject").send_keys("Printer offline")
    browser.find_element(By.ID, "description").send_keys("It does not answer on the network.")
    Select(browser.find_element(By.ID, "answer-version")).select_by_visible_text("Printer 4.2")
    browser.find_element(By.CSS_SELECTOR, "input[name=answer_shows_error][value=no]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=answer_error_code][value=E01]").click()
    browser.find_element(By.ID, "file-request").click()
    wait_for(browser, lambda d: "/portal/cases/" in d.current_url)
    ref = browser.current_url.rsplit("/", 1)[-1]
    answers = {a["key"] for a in desk.call("GET", f"/cases/{ref}/intake")["answers"]}
    # The answer to the hidden branch was dropped, not stored.
    assert "error_code" not in answers and "shows_error" in answers


def test_two_agents_on_one_case_see_the_collision_warning(desk, browsers):
    ref = open_case_for_carla(desk, "Toner smears")["reference"]
    ann, ben = browsers(), browsers()
    sign_in(ann, desk, "ann@desk.example")
    sign_in(ben, desk, "ben@desk.example")
    ann.get(desk.base + f"/desk/cases/{ref}")
    ben.get(desk.base + f"/desk/cases/{ref}")
    wait_for(ann, EC.text_to_be_present_in_element((By.ID, "presence"), "Ben Agent is viewing this case"), timeout=20)
    ben.find_element(By.ID, "reply-text").send_keys("Working on it")
    wait_for(ann, EC.text_to_be_present_in_element((By.ID, "presence"), "Ben Agent is replying to this case"), timeout=20)
    wait_for(ben, EC.text_to_be_present_in_element((By.ID, "presence"), "Ann Agent is viewing this case"), timeout=20)
    # Ben sends; Ann's page learns the case changed underneath it.
    ben.find_element(By.ID, "reply-send").click()
    wait_for(ann, lambda d: d.find_element(By.ID, "changed").is_displayed(), timeout=20)


def test_a_reply_on_an_open_case_raises_the_banner_and_leaving_clears_presence_at_once(desk, browsers):
    case = open_case_for_carla(desk, "Fuser too hot")
    ref = case["reference"]
    desk.call("PATCH", f"/cases/{ref}", {"version": case["version"], "status": "open"})
    ann, ben = browsers(), browsers()
    sign_in(ann, desk, "ann@desk.example")
    sign_in(ben, desk, "ben@desk.example")
    ann.get(desk.base + f"/desk/cases/{ref}")
    ben.get(desk.base + f"/desk/cases/{ref}")
    wait_for(ann, EC.text_to_be_present_in_element((By.ID, "presence"), "Ben Agent is viewing this case"), timeout=20)
    # A reply leaves the case's fields (and version) as they were; the banner must still say the case changed.
    ben.find_element(By.ID, "reply-text").send_keys("Replaced the fuser unit.")
    ben.find_element(By.ID, "reply-send").click()
    wait_for(ben, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Reply sent"))
    wait_for(ann, lambda d: d.find_element(By.ID, "changed").is_displayed(), timeout=20)
    # Ben goes back to his queue: Ann stops seeing him within a few seconds, not half a minute later.
    ben.get(desk.base + "/desk?view=all")
    wait_for(ann, lambda d: "Ben Agent" not in d.find_element(By.ID, "presence").text, timeout=8)


def press(browser, *keys):
    """Types at whatever has focus, as a person at the keyboard would."""
    ActionChains(browser).send_keys(*keys).perform()


def tab_to(browser, element_id, backwards=False, limit=12):
    for _ in range(limit):
        if browser.switch_to.active_element.get_attribute("id") == element_id:
            return
        if backwards:
            ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(browser, Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == element_id


def test_keyboard_only_triage(desk, browsers):
    for n in range(3):
        open_case_for_carla(desk, f"Keyboard case {n}")
    browser = browsers()
    sign_in(browser, desk, "ann@desk.example")
    browser.get(desk.base + "/desk?view=unassigned")
    press(browser, "j")
    first = browser.switch_to.active_element
    assert first.get_attribute("class") == "case-link"
    chosen = first.text
    press(browser, "x")
    assert browser.find_element(By.ID, f"pick-{chosen}").is_selected()
    tab_to(browser, "bulk-apply", backwards=True)
    press(browser, Keys.ENTER)
    wait_for(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Updated 1 case"))
    assert desk.call("GET", f"/cases/{chosen}")["assignee_id"]
    # Open a case with j then o, and reply with r, all from the keyboard.
    press(browser, "j")
    press(browser, "o")
    wait_for(browser, EC.presence_of_element_located((By.ID, "reply-text")))
    press(browser, "r")
    assert browser.switch_to.active_element.get_attribute("id") == "reply-text"
    press(browser, "Sent from the keyboard.")
    tab_to(browser, "reply-send")
    press(browser, Keys.ENTER)
    wait_for(browser, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Reply sent"))


def test_slash_searches_every_case_from_any_desk_page(desk, browsers):
    case = open_case_for_carla(desk, "Solved long ago: stapler")
    desk.call("PATCH", f"/cases/{case['reference']}", {"version": case["version"], "status": "solved"})
    other = open_case_for_carla(desk, "Current: scanner")
    browser = browsers()
    sign_in(browser, desk, "ann@desk.example")
    browser.get(desk.base + f"/desk/cases/{other['reference']}")
    press(browser, "/")
    assert browser.switch_to.active_element.get_attribute("id") == "global-q"
    press(browser, case["reference"], Keys.ENTER)
    wait_for(browser, lambda d: "/desk?" in d.current_url and case["reference"] in d.find_element(By.ID, "case-table").text)
    assert "every status" in browser.find_element(By.ID, "queue-narrowing").text


HOSTILE = """From: Mallory <mallory@evil.example>
To: support@cb.example
Subject: Invoice attached
Message-ID: <hostile-1@evil.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

See the invoice.
--b
Content-Type: text/html; charset=utf-8

<p>See the <b>invoice</b>.</p><script>window.__pwned = 'script'</script>
<img src="x" onerror="window.__pwned = 'onerror'">
<img src="http://127.0.0.1:9/track.png" alt="tracker">
<a href="javascript:window.__pwned='link'">click</a>
<svg onload="window.__pwned='svg'"></svg>
--b--
"""


def test_hostile_html_email_executes_nothing(desk, browsers):
    receipt = desk.call("POST", "/inbound/email", raw=HOSTILE.replace("\n", "\r\n").encode(), content_type="message/rfc822")
    ref = receipt["case_reference"]
    browser = browsers()
    sign_in(browser, desk, "ann@desk.example")
    browser.get(desk.base + f"/desk/cases/{ref}")
    body = browser.find_element(By.CSS_SELECTOR, ".email-body")
    assert "invoice" in body.text
    time.sleep(0.5)
    assert browser.execute_script("return window.__pwned === undefined")
    html = body.get_attribute("innerHTML")
    assert "onerror" not in html and "<script" not in html and "javascript:" not in html and "onload" not in html
    tracker = browser.find_element(By.CSS_SELECTOR, ".email-body img[alt=tracker]")
    assert not tracker.get_attribute("src")
    assert "Remote images are blocked" in browser.page_source
    browser.find_element(By.PARTIAL_LINK_TEXT, "Show images").click()
    wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".email-body img[alt=tracker][src]")))
    assert browser.execute_script("return window.__pwned === undefined")


def test_replies_with_large_attachments_go_through_from_the_desk_and_the_portal(desk, browsers, tmp_path):
    """A 20 MiB manual from the desk and a 1 MiB photo from the portal. A form's token travels in its body, which arrives after the headers once a file is attached; the form
    must be judged on its whole body, not refused as expired (and what was typed lost)."""
    ref = open_case_for_carla(desk, "Scanner drops pages")["reference"]
    photo = tmp_path / "paper-path.jpg"
    photo.write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    manual = tmp_path / "service-manual.pdf"
    manual.write_bytes(bytes(range(256)) * 4096 * 20)  # 20 MiB
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + f"/desk/cases/{ref}")
    agent.find_element(By.ID, "reply-text").send_keys("Here is the service manual with the paper path.")
    agent.find_element(By.ID, "reply-file").send_keys(str(manual))
    agent.find_element(By.ID, "reply-send").click()
    # A debug build on two busy cores takes tens of seconds to take in, hash and store 20 MiB and queue its mail.
    wait_for(agent, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Reply sent"), timeout=90)
    customer = browsers()
    sign_in(customer, desk, "carla@acme.example")
    customer.get(desk.base + f"/portal/cases/{ref}")
    customer.find_element(By.ID, "reply-text").send_keys("Thanks, my photo of the tray is attached.")
    customer.find_element(By.ID, "reply-file").send_keys(str(photo))
    customer.find_element(By.CSS_SELECTOR, "#portal-reply button[type=submit]").click()
    wait_for(customer, lambda d: "my photo of the tray" in d.find_element(By.TAG_NAME, "main").text, timeout=90)
    messages = desk.call("GET", f"/cases/{ref}/messages")
    items = messages["items"] if isinstance(messages, dict) else messages
    sizes = [a["size"] for m in items for a in m.get("attachments", [])]
    assert sorted(sizes) == [1024 * 1024, 20 * 1024 * 1024], sizes
