"""Times in the reader's own zone: Sofía, in Spanish, chooses Asia/Tokyo on her account page, and every time on her
case page is then written in Tokyo time, in Spanish; an agent who keeps the default follows their browser."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS
from test_accessibility import audit
from test_pages import sign_in, wait_for
from test_reply_review import sofia_case


def test_a_customer_chooses_a_time_zone_and_every_time_follows_it(desk, browsers):
    ref = sofia_case(desk)
    sofia = browsers()
    sign_in(sofia, desk, "sofia@acme.example")
    sofia.get(desk.base + "/account")
    Select(sofia.find_element(By.ID, "time-zone")).select_by_value("Asia/Tokyo")
    audit(sofia, "/account in Spanish with the time-zone panel")
    sofia.find_element(By.ID, "zone-save").click()
    wait_for(sofia, lambda d: "Tu zona horaria se ha guardado." in d.find_element(By.TAG_NAME, "body").text)
    assert Select(sofia.find_element(By.ID, "time-zone")).first_selected_option.get_attribute("value") == "Asia/Tokyo"
    users = desk.call("GET", "/users")
    items = users["items"] if isinstance(users, dict) else users
    assert next(u for u in items if u["email"] == "sofia@acme.example")["time_zone"] == "Asia/Tokyo"

    sofia.get(desk.base + f"/portal/cases/{ref}")
    times = [t.text for t in sofia.find_elements(By.CSS_SELECTOR, "time[datetime]")]
    assert times and all("GMT+9" in t for t in times), times
    assert all(" dic " in t or "dic" in t for t in times), times
    SHOTS.mkdir(parents=True, exist_ok=True)
    sofia.save_screenshot(str(SHOTS / "zone-portal-tokyo.png"))

    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + f"/desk/cases/{ref}")
    assert not ann.find_elements(By.CSS_SELECTOR, 'meta[name="casebook-zone"]'), "the default zone follows the browser"
    times = [t.text for t in ann.find_elements(By.CSS_SELECTOR, "time[datetime]")]
    assert times and not any("GMT+9" in t for t in times), times
