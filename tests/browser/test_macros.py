"""A macro in Chromium: an agent previews a canned response as a macro on the case page, sees the reply and the
changes it would make, applies it, and finds the reply sent and the fields changed."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS
from test_accessibility import audit
from test_pages import open_case_for_carla, sign_in, wait_for


def test_an_agent_previews_and_applies_a_macro(desk, browsers):
    agents = {u["email"]: u["id"] for u in desk.call("GET", "/users?role=agent")}
    desk.call("POST", "/canned-responses", {"title": "Send for repair", "language": "en",
                                            "body": "Hello {{customer.first_name}}, your printer goes to the workshop today.",
                                            "actions": {"status": "pending_vendor", "priority": "high", "assignee_id": agents["ann@desk.example"],
                                                        "tags": ["rma"]}})
    reference = open_case_for_carla(desk, "Printer makes a grinding noise")["reference"]
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + f"/desk/cases/{reference}")
    Select(agent.find_element(By.ID, "canned")).select_by_visible_text("Send for repair (English)")
    agent.find_element(By.ID, "canned-macro").click()
    wait_for(agent, lambda d: d.find_elements(By.ID, "macro-preview"))
    assert Select(agent.find_element(By.ID, "canned")).first_selected_option.text == "Send for repair (English)", "the previewed response stays chosen"
    panel = agent.find_element(By.ID, "macro-preview").text
    assert "Hello Carla, your printer goes to the workshop today." in panel
    assert "status: new → pending vendor" in panel and "priority: normal → high" in panel and "assignee: nobody → Ann Agent" in panel, panel
    audit(agent, "case page with a macro preview")
    SHOTS.mkdir(parents=True, exist_ok=True)
    agent.save_screenshot(str(SHOTS / "macro-preview.png"))
    agent.find_element(By.ID, "macro-apply").click()
    wait_for(agent, lambda d: "applied" in d.find_element(By.TAG_NAME, "body").text)
    case = desk.call("GET", f"/cases/{reference}")
    assert case["status"] == "pending_vendor" and case["priority"] == "high" and case["tags"] == ["rma"]
    assert "your printer goes to the workshop today" in agent.find_element(By.TAG_NAME, "main").text
    agent.save_screenshot(str(SHOTS / "macro-applied.png"))
