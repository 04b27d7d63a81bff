"""Time tracking in Chromium: an agent logs minutes with a reply and on the case-work page, sees the case's total,
and a manager reads the time report by organisation."""
from selenium.webdriver.common.by import By

from conftest import SHOTS
from test_accessibility import audit
from test_areas import fill, sign_in_admin
from test_pages import open_case_for_carla, sign_in, wait_for


def test_an_agent_logs_time_and_the_report_totals_it(desk, browsers):
    reference = open_case_for_carla(desk, "Toner smudges every page")["reference"]
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + f"/desk/cases/{reference}")
    agent.find_element(By.ID, "reply-text").send_keys("Cleaned the fuser; try again now.")
    agent.find_element(By.ID, "reply-minutes").send_keys("20")
    agent.find_element(By.ID, "reply-send").click()
    wait_for(agent, lambda d: d.find_elements(By.ID, "time-spent"))
    assert agent.find_element(By.ID, "time-spent").text == "Time spent: 20 min"

    agent.find_element(By.LINK_TEXT, "Time, calls, repairs, problem, RCA and article").click()
    wait_for(agent, lambda d: d.find_elements(By.ID, "action-time"))
    fill(agent, "action-time", {"minutes": "45", "note": "Site visit"}).submit()
    wait_for(agent, lambda d: "Site visit" in d.find_element(By.TAG_NAME, "main").text)
    audit(agent, "case work with time")
    SHOTS.mkdir(parents=True, exist_ok=True)
    agent.save_screenshot(str(SHOTS / "time-case-work.png"))
    agent.get(desk.base + f"/desk/cases/{reference}")
    assert agent.find_element(By.ID, "time-spent").text == "Time spent: 1 h 5 min"

    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/reports/time")
    main = admin.find_element(By.TAG_NAME, "main").text
    assert "Acme Printing" in main and "65" in main, main
    audit(admin, "/reports/time")
    admin.save_screenshot(str(SHOTS / "time-report.png"))
