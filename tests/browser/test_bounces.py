"""A customer's address bounces for good: the agent sees it on the case, nothing more is mailed to it, and an agent
clears it on the Bounced addresses page once the customer's mailbox works again."""
from selenium.webdriver.common.by import By

from conftest import SHOTS
from test_accessibility import audit
from test_pages import open_case_for_carla, sign_in, wait_for

DSN = """From: MAILER-DAEMON@mx.acme.example
To: support@cb.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-browser@mx.acme.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.example

Final-Recipient: rfc822; carla@acme.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown
--b
Content-Type: text/rfc822-headers

Message-ID: <{ours}>
--b--
"""


def test_a_hard_bounce_is_shown_on_the_case_and_cleared_on_its_page(desk, browsers):
    case = open_case_for_carla(desk, "Printer offline after update")
    sent = [m for m in desk.call("GET", "/outbound/email") if m["kind"] == "acknowledgement"]
    assert sent, "the case was acknowledged by mail"
    desk.call("POST", "/inbound/email", raw=DSN.format(ours=sent[0]["message_id"]).replace("\n", "\r\n").encode(), content_type="message/rfc822")
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + f"/desk/cases/{case['reference']}")
    warning = agent.find_element(By.ID, "requester-bounced")
    assert "5.1.1" in warning.text and "mailbox unknown" in warning.text
    assert "not mailed" in agent.find_element(By.ID, "reply-not-mailed").text
    audit(agent, "/desk/cases/{ref} with a bounced requester")
    SHOTS.mkdir(parents=True, exist_ok=True)
    agent.save_screenshot(str(SHOTS / "bounce-on-case.png"))

    agent.get(desk.base + "/customers/bounced-addresses")
    audit(agent, "/customers/bounced-addresses")
    agent.find_element(By.LINK_TEXT, "carla@acme.example").click()
    wait_for(agent, lambda d: d.find_elements(By.ID, "action-clear"))
    agent.save_screenshot(str(SHOTS / "bounce-entry.png"))
    agent.find_element(By.ID, "action-clear").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(agent, lambda d: d.current_url.endswith("/customers/bounced-addresses"))
    assert "carla@acme.example" not in agent.find_element(By.TAG_NAME, "main").text
    agent.get(desk.base + f"/desk/cases/{case['reference']}")
    assert not agent.find_elements(By.ID, "requester-bounced") and not agent.find_elements(By.ID, "reply-not-mailed")
