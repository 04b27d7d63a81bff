"""Native review in Chromium: Ann, who writes English, answers a Spanish customer in Spanish; the reply waits on the
case; Lucía, who writes Spanish, finds it in her review queue, corrects it and sends it; the customer then reads it,
and Ann lists the languages she writes well on her account page."""
from selenium.webdriver.common.by import By

from conftest import PASSWORD, SHOTS
from test_accessibility import audit
from test_areas import dark
from test_pages import sign_in, wait_for

SPANISH = "Hola Sofía, hemos reiniciado el servidor de impresión y la cola funciona de nuevo. ¿Puedes comprobarlo cuando puedas?"


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"review-{name}.png"))


def sofia_case(desk):
    users = desk.call("GET", "/users")
    items = users["items"] if isinstance(users, dict) else users
    sofia = next(u["id"] for u in items if u["email"] == "sofia@acme.example")
    return desk.call("POST", "/cases", {"subject": "La impresora no imprime", "requester_id": sofia, "priority": "normal",
                                        "description": "Hola, la impresora de la planta 2 no imprime desde esta mañana."})["reference"]


def test_a_reply_in_a_language_its_author_does_not_write_waits_for_a_fluent_colleague(desk, browsers):
    desk.call("POST", "/users", {"email": "lucia@desk.example", "name": "Lucía Agente", "role": "agent", "password": PASSWORD,
                                 "writes_languages": ["es", "en"]})
    ref = sofia_case(desk)

    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + f"/desk/cases/{ref}")
    ann.find_element(By.ID, "reply-text").send_keys(SPANISH)
    ann.find_element(By.ID, "reply-send").click()
    wait_for(ann, lambda d: d.find_elements(By.ID, "held-replies"))
    held = ann.find_element(By.ID, "held-replies").text
    assert "Waiting for a colleague who writes Español" in held and "reiniciado" in held, held
    assert "waits for a colleague who writes this language well" in ann.find_element(By.TAG_NAME, "body").text
    assert desk.call("GET", f"/cases/{ref}").get("first_response_at") is None, "nothing was sent yet"
    audit(ann, "case page with a held reply")
    shoot(ann, "held-on-case")

    lucia = browsers()
    sign_in(lucia, desk, "lucia@desk.example")
    lucia.get(desk.base + "/desk")
    lucia.find_element(By.ID, "reviews-link").click()
    wait_for(lucia, lambda d: "/desk/reviews" in d.current_url)
    cards = lucia.find_elements(By.CSS_SELECTOR, "article.held-reply")
    assert len(cards) == 1 and ref in cards[0].text, [c.text for c in cards]
    audit(lucia, "/desk/reviews")
    shoot(lucia, "queue")
    text = cards[0].find_element(By.CSS_SELECTOR, "textarea[name=text]")
    text.clear()
    text.send_keys(SPANISH.replace("¿Puedes comprobarlo cuando puedas?", "¿Podría comprobarlo cuando pueda? Un saludo."))
    cards[0].find_element(By.CSS_SELECTOR, "input[name=note]").send_keys("Mejor de usted.")
    cards[0].find_element(By.CSS_SELECTOR, "form.review-approve button[type=submit]").click()
    wait_for(lucia, lambda d: "The reply was sent to the customer." in d.find_element(By.TAG_NAME, "body").text)
    assert "Nothing waits for you to review." in lucia.find_element(By.TAG_NAME, "body").text
    shoot(lucia, "sent")

    case = desk.call("GET", f"/cases/{ref}")
    assert case["first_response_at"] is not None
    ann.get(desk.base + f"/desk/cases/{ref}")
    assert "Sent after review by Lucía Agente" in ann.find_element(By.ID, "held-replies").text
    record = ann.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert "Un saludo." in record and "Mejor de usted." in record, record
    shoot(ann, "sent-on-case")

    sofia = browsers()
    sign_in(sofia, desk, "sofia@acme.example")
    sofia.get(desk.base + f"/portal/cases/{ref}")
    assert "Un saludo." in sofia.find_element(By.CSS_SELECTOR, "ol.timeline").text

    ann.set_window_size(390, 900)
    dark(ann)
    ann.get(desk.base + "/account")
    panel = ann.find_element(By.ID, "writes-panel")
    assert panel.find_element(By.ID, "writes-en").is_selected() and not panel.find_element(By.ID, "writes-es").is_selected()
    panel.find_element(By.ID, "writes-es").click()
    audit(ann, "/account with the languages panel (dark, 390 px)")
    shoot(ann, "account-languages-dark-390")
    panel.find_element(By.ID, "writes-save").click()
    wait_for(ann, lambda d: "Your languages are saved." in d.find_element(By.TAG_NAME, "body").text)
    assert ann.find_element(By.ID, "writes-es").is_selected() and ann.find_element(By.ID, "writes-en").is_selected()
    assert ann.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
