"""Agent notifications in Chromium: an agent follows a case from its page; a colleague's note names another agent with @;
that agent sees the unread count in the header (kept current while the page is open), reads the notice, lands on the
case, and chooses what they are told about."""
from selenium.webdriver.common.by import By

from conftest import SHOTS
from test_accessibility import audit
from test_areas import dark
from test_pages import open_case_for_carla, sign_in, wait_for


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"notifications-{name}.png"))


def badge(driver):
    counts = driver.find_elements(By.CSS_SELECTOR, ".top .notices .count")
    return "" if not counts or not counts[0].is_displayed() else counts[0].text.split()[0]


def test_an_agent_is_told_of_a_mention_reads_it_and_chooses_what_to_hear(desk, browsers):
    reference = open_case_for_carla(desk, "Toner light blinks")["reference"]
    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + f"/desk/cases/{reference}")
    assert "Nobody follows this case yet." in ann.find_element(By.ID, "case-followers").text
    ann.find_element(By.ID, "follow-button").click()
    wait_for(ann, lambda d: "You follow this case" in d.find_element(By.TAG_NAME, "body").text)
    assert ann.find_element(By.ID, "follower-names").text == "Ann Agent"
    assert ann.find_element(By.ID, "follow-button").text == "Stop following"
    audit(ann, "case page with a follower")
    shoot(ann, "case-followed")

    ben = browsers()
    sign_in(ben, desk, "ben@desk.example")
    ben.get(desk.base + "/desk")
    assert badge(ben) == "", "nothing yet"
    # A colleague's internal note names Ben; the open page's header catches up without a reload.
    desk.call("POST", f"/cases/{reference}/messages", {"text": "@ben could you bring a toner to room 4?", "visibility": "internal"})
    wait_for(ben, lambda d: badge(d) == "1", timeout=45)
    ben.find_element(By.CSS_SELECTOR, ".top .notices").click()
    wait_for(ben, lambda d: d.current_url.endswith("/desk/notifications"))
    listed = ben.find_element(By.ID, "notice-list").text
    assert "You were mentioned" in listed and reference in listed and "could you bring a toner" in listed, listed
    audit(ben, "/desk/notifications")
    shoot(ben, "list-1440-light")
    dark(ben)
    ben.set_window_size(390, 900)
    ben.get(desk.base + "/desk/notifications")
    audit(ben, "/desk/notifications at 390 px, dark")
    shoot(ben, "list-390-dark")
    dark(ben, False)
    ben.set_window_size(1366, 1000)

    ben.get(desk.base + "/desk/notifications")
    ben.find_element(By.CSS_SELECTOR, "#notice-list a").click()
    wait_for(ben, lambda d: d.current_url.endswith(f"/desk/cases/{reference}"))
    assert badge(ben) == "", "read by opening it"
    # Ann follows the case, so the note reached her as activity too.
    ann.get(desk.base + "/desk/notifications")
    assert "New activity" in ann.find_element(By.ID, "notice-list").text

    ben.get(desk.base + "/desk/notifications#preferences")
    box = ben.find_element(By.ID, "activity-email")
    assert not box.is_selected()
    box.click()
    ben.find_element(By.ID, "mentioned-in-app").click()
    ben.find_element(By.ID, "save-preferences").click()
    wait_for(ben, lambda d: "Preferences saved." in d.find_element(By.TAG_NAME, "body").text)
    assert ben.find_element(By.ID, "activity-email").is_selected() and not ben.find_element(By.ID, "mentioned-in-app").is_selected()
    shoot(ben, "preferences")
    # Following the case brings its next note as activity; with nothing unread, there is nothing to mark.
    assert not ben.find_elements(By.ID, "mark-all-read")
    ben.get(desk.base + f"/desk/cases/{reference}")
    ben.find_element(By.ID, "follow-button").click()
    wait_for(ben, lambda d: "Ann Agent, Ben Agent" in d.find_element(By.ID, "follower-names").text)
    desk.call("POST", f"/cases/{reference}/messages", {"text": "Toner delivered.", "visibility": "internal"})
    ben.get(desk.base + "/desk/notifications")
    assert "1 unread" in ben.find_element(By.ID, "unread-line").text
    ben.find_element(By.ID, "mark-all-read").click()
    wait_for(ben, lambda d: "0 unread" in d.find_element(By.ID, "unread-line").text)
