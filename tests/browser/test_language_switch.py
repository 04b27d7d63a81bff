"""The language switch at the foot of every page, in Chromium: a visitor chooses French on the sign-in page; a
customer chooses German in the portal and it stays in their profile; an agent's desk follows their choice."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS
from test_accessibility import audit
from test_areas import dark
from test_pages import sign_in, wait_for


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"language-{name}.png"))


def switch_to(driver, language):
    Select(driver.find_element(By.ID, "language-switch")).select_by_value(language)
    driver.find_element(By.CSS_SELECTOR, ".language-switch button[type=submit]").click()
    wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == language)


def test_a_visitor_a_customer_and_an_agent_choose_their_language(desk, browsers):
    visitor = browsers()
    visitor.get(desk.base + "/login")
    switch_to(visitor, "fr")
    assert "/login" in visitor.current_url
    assert visitor.find_element(By.CSS_SELECTOR, "form button[type=submit]").text == "Se connecter"
    audit(visitor, "/login in French")
    shoot(visitor, "login-fr")

    carla = browsers()
    sign_in(carla, desk, "carla@acme.example")
    carla.get(desk.base + "/portal")
    switch_to(carla, "de")
    assert "Meine Anfragen" in carla.find_element(By.TAG_NAME, "body").text
    assert Select(carla.find_element(By.ID, "language-switch")).first_selected_option.text == "Deutsch"
    audit(carla, "/portal in German")
    shoot(carla, "portal-de")
    # The switch at 390 px in the dark scheme, axe-checked like the light one.
    dark(carla)
    carla.set_window_size(390, 844)
    carla.get(desk.base + "/portal")
    carla.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    audit(carla, "/portal in German, dark, 390 px")
    shoot(carla, "portal-de-390-dark")
    people = desk.call("GET", "/users?role=customer")
    found = people["items"] if isinstance(people, dict) else people
    assert [p.get("language") for p in found if p.get("email") == "carla@acme.example"] == ["de"], found

    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + "/desk")
    switch_to(ann, "es")
    assert "/desk" in ann.current_url
    assert "Todas abiertas" in ann.find_element(By.TAG_NAME, "body").text
    audit(ann, "/desk in Spanish")
    shoot(ann, "desk-es")
    switch_to(ann, "en")
