"""Linked cases in Chromium: an agent marks a case as part of a larger outage on the case-work page, both case pages
show the link in their own words, and the agent removes it again."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS
from test_accessibility import audit
from test_areas import fill
from test_pages import open_case_for_carla, sign_in, wait_for


def test_an_agent_links_a_case_to_an_outage_and_unlinks_it(desk, browsers):
    outage = open_case_for_carla(desk, "Whole floor cannot print")["reference"]
    printer = open_case_for_carla(desk, "Printer in room 4 offline")["reference"]
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + f"/desk/case-work/{printer}")
    fill(agent, "action-links", {"reference": outage, "kind": "child of"}).submit()
    wait_for(agent, lambda d: "part of" in d.find_element(By.TAG_NAME, "main").text)
    audit(agent, "case work with a link")
    agent.get(desk.base + f"/desk/cases/{outage}")
    links = agent.find_element(By.ID, "case-links").text
    assert f"parent of {printer}" in links, links
    audit(agent, "case page with linked cases")
    SHOTS.mkdir(parents=True, exist_ok=True)
    agent.save_screenshot(str(SHOTS / "linked-cases.png"))

    agent.get(desk.base + f"/desk/case-work/{printer}")
    Select(agent.find_element(By.ID, "action-unlink").find_element(By.NAME, "link_id")).select_by_visible_text(outage)
    agent.find_element(By.ID, "action-unlink").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(agent, lambda d: "Link removed." in d.find_element(By.TAG_NAME, "body").text)
    agent.get(desk.base + f"/desk/cases/{outage}")
    assert not agent.find_elements(By.ID, "case-links")


def test_an_agent_splits_a_second_question_into_its_own_case(desk, browsers):
    case = open_case_for_carla(desk, "Printer jams on tray 2")
    desk.call("POST", f"/cases/{case['reference']}/messages", {"text": "Also: the scanner will not send to email.", "visibility": "public"})
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + f"/desk/case-work/{case['reference']}")
    form = agent.find_element(By.ID, "action-split")
    Select(form.find_element(By.NAME, "message_id")).select_by_visible_text("Also: the scanner will not send to email.")
    form.find_element(By.NAME, "subject").send_keys("Scanner will not send to email")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(agent, lambda d: d.find_element(By.TAG_NAME, "h1").text.endswith("Scanner will not send to email"))
    assert "related to " + case["reference"] in agent.find_element(By.ID, "case-links").text
    audit(agent, "a case split from another")
    agent.save_screenshot(str(SHOTS / "split-case.png"))



def test_an_agent_merges_a_duplicate_and_its_page_leads_to_the_other(desk, browsers):
    first = open_case_for_carla(desk, "Badge reader broken")["reference"]
    second = open_case_for_carla(desk, "Badge reader at the door broken")["reference"]
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + f"/desk/case-work/{first}")
    form = agent.find_element(By.ID, "action-merge")
    form.find_element(By.NAME, "into").send_keys(second)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(agent, lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith(second))
    assert f"merged from {first}" in agent.find_element(By.ID, "case-links").text
    agent.get(desk.base + f"/desk/cases/{first}")
    wait_for(agent, lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith(second))
    assert f"{first} was merged into {second}" in agent.find_element(By.TAG_NAME, "body").text
    audit(agent, "a merged case's page")
    assert f"Ann Agent: merged from {first}" in agent.find_element(By.TAG_NAME, "main").text
    agent.save_screenshot(str(SHOTS / "merged-case.png"))
    carla = browsers()
    sign_in(carla, desk, "carla@acme.example")
    carla.get(desk.base + f"/portal/cases/{first}")
    wait_for(carla, lambda d: d.current_url.endswith(f"/portal/cases/{second}"))
    audit(carla, "the portal page a merged case leads to")
