"""Tone in Chromium: a customer writes angrily in German in the portal; the agent opens the case, sees why it was read
that way, corrects the reading, and finds the correction counted on the tone report with its labelled-set download."""
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS
from test_accessibility import audit
from test_areas import dark
from test_pages import open_case_for_carla, sign_in, wait_for


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"tone-{name}.png"))


def test_an_agent_sees_why_a_message_reads_angry_corrects_it_and_the_report_counts_it(desk, browsers):
    ref = open_case_for_carla(desk, "Rechnung doppelt")["reference"]
    carla = browsers()
    sign_in(carla, desk, "carla@acme.example")
    carla.get(desk.base + f"/portal/cases/{ref}")
    carla.find_element(By.ID, "reply-text").send_keys("Das ist eine Frechheit! Sie haben uns zweimal berechnet. Ich verlange sofort eine Gutschrift.")
    carla.find_element(By.CSS_SELECTOR, "#reply-text ~ button[type=submit], form button.primary").click()
    wait_for(carla, lambda d: "Frechheit" in d.find_element(By.CSS_SELECTOR, "ol.timeline").text)
    assert "angry" not in carla.find_element(By.CSS_SELECTOR, "ol.timeline").text.lower(), "customers never see their tone"
    assert desk.call("GET", f"/cases/{ref}")["tone"] == "angry"

    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + f"/desk/cases/{ref}")
    panels = ann.find_elements(By.CSS_SELECTOR, "details.tone-why")
    angry = [p for p in panels if p.find_element(By.CSS_SELECTOR, ".tone").text.lower() == "angry"]
    assert angry, [p.text for p in panels]
    panel = angry[0]
    panel.find_element(By.TAG_NAME, "summary").click()
    why = panel.find_element(By.CSS_SELECTOR, ".tone-panel p").text
    assert "Frechheit" in why and "Gutschrift" in why or "verlange" in why, why
    audit(ann, "case page with the tone panel open")
    shoot(ann, "why-open")

    Select(panel.find_element(By.CSS_SELECTOR, "select[name=tone]")).select_by_value("frustrated")
    panel.find_element(By.CSS_SELECTOR, "form.tone-correct button[type=submit]").click()
    wait_for(ann, lambda d: "Tone set to frustrated" in d.find_element(By.TAG_NAME, "body").text)
    assert "#message-" in ann.current_url
    assert desk.call("GET", f"/cases/{ref}")["tone"] == "frustrated"
    record = ann.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert "Set by hand by Ann Agent" in ann.page_source and "frustrated" in record.lower()
    shoot(ann, "corrected")

    ann.get(desk.base + "/reports/tone")
    body = ann.find_element(By.TAG_NAME, "body").text
    assert "Tone corrections" in body and ref in body and "Deutsch" in body, body
    row = ann.find_element(By.CSS_SELECTOR, "section[aria-labelledby=tone-counts-heading] tbody tr").text
    assert row.split() == ["angry", "frustrated", "Deutsch", "1"], row
    audit(ann, "/reports/tone")
    shoot(ann, "report")
    download = ann.find_element(By.PARTIAL_LINK_TEXT, "TSV").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in ann.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(download, headers={"Cookie": cookies}), timeout=10) as answer:
        labelled = answer.read().decode()
    assert labelled.splitlines()[0] == "label\ttext" and labelled.splitlines()[1].startswith("frustrated\tDas ist eine Frechheit!"), labelled

    # The same page on a phone in the dark scheme.
    dark(ann)
    ann.set_window_size(390, 844)
    ann.get(desk.base + "/reports/tone")
    audit(ann, "/reports/tone, dark, 390 px")
    shoot(ann, "report-390-dark")


def test_what_the_customer_already_tried_is_quoted_from_their_own_words(desk, browsers):
    ref = open_case_for_carla(desk, "Drucker")["reference"]
    carla = browsers()
    sign_in(carla, desk, "carla@acme.example")
    carla.get(desk.base + f"/portal/cases/{ref}")
    carla.find_element(By.ID, "reply-text").send_keys(
        "Der Drucker zieht kein Papier ein. Ich habe die Walze bereits gereinigt und den Treiber neu installiert, ohne Erfolg.")
    carla.find_element(By.CSS_SELECTOR, "form button.primary").click()
    wait_for(carla, lambda d: "Walze" in d.find_element(By.CSS_SELECTOR, "ol.timeline").text)
    assert "tried-said" not in carla.page_source, "the desk's panel is not shown to customers"

    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + f"/desk/cases/{ref}")
    quoted = ann.find_element(By.CSS_SELECTOR, "section.tried-said q").text
    assert quoted == "Ich habe die Walze bereits gereinigt und den Treiber neu installiert, ohne Erfolg.", quoted
    audit(ann, "case page with what the customer already tried")
    shoot(ann, "already-tried")
    ann.find_element(By.CSS_SELECTOR, "section.tried-said a").click()
    wait_for(ann, lambda d: "#message-" in d.current_url)
