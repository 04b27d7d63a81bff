"""Translations in Chromium: an admin sees what Spanish customers would read untranslated, translates the category and
an intake question, is refused an empty translation with the box kept, and Sofía (Spanish) then files her request in
Spanish, with the words nobody translated marked as English; Ann, the agent, is told which questions those were."""
from selenium.webdriver.common.by import By

from conftest import PASSWORD, SHOTS
from test_accessibility import audit
from test_areas import dark, sign_in_admin
from test_pages import sign_in, wait_for, wait_until_replaced


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"translations-{name}.png"))


def body(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def save(driver, anchor, text):
    box = driver.find_element(By.ID, anchor + "-text")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.ID, anchor + "-save").click()
    # The page is replaced: a saved text leaves the to-do list, a refused one comes back with its message.
    wait_until_replaced(driver, box)


def file_request(driver):
    """Picks a firmware version when none is chosen yet, files the form and answers the new case's reference."""
    version = driver.find_elements(By.CSS_SELECTOR, "#answer-version option")
    if len(version) > 1 and not any(o.is_selected() and o.get_attribute("value") for o in version):
        version[1].click()
    driver.find_element(By.ID, "file-request").click()
    wait_for(driver, lambda d: "/portal/cases/" in d.current_url)
    return driver.current_url.rsplit("/", 1)[-1]


def test_an_admin_translates_and_a_spanish_customer_reads_the_form_in_spanish(desk, browsers):
    category = desk.category["id"].lower()
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin")
    admin.find_element(By.CSS_SELECTOR, "a[href='/admin/translations']").click()
    wait_for(admin, lambda d: "/admin/translations" in d.current_url)
    tabs = admin.find_element(By.ID, "translation-languages").text
    assert "Español" in tabs and "Français" in tabs and "Deutsch" in tabs and "English" not in tabs, tabs
    audit(admin, "/admin/translations")
    shoot(admin, "to-do")

    name = f"tr-category-{category}-name"
    save(admin, name, "   ")
    wait_for(admin, lambda d: d.find_elements(By.ID, name + "-error"))
    assert "Write the translation, or remove it." in admin.find_element(By.ID, name + "-error").text
    shoot(admin, "refused")
    save(admin, name, "Impresión")
    wait_for(admin, lambda d: "Translation saved." in body(d))
    save(admin, f"tr-intake-{category}-error-code-label", "Código de error")
    save(admin, f"tr-intake-{category}-error-code-option-0", "E01 (atasco de papel)")
    save(admin, f"tr-intake-{category}-shows-error-label", "¿La impresora muestra un error?")
    save(admin, f"tr-intake-{category}-shows-error-why", "Un código de error señala la pieza que falla.")
    entries = desk.call("GET", "/translations?language=es&state=current")
    assert {e["field"] for e in entries} == {"name", "error_code.label", "error_code.option.0", "shows_error.label", "shows_error.why"}, entries

    sofia = browsers()
    sign_in(sofia, desk, "sofia@acme.example")
    sofia.get(desk.base + "/portal/new")
    assert "Impresión" in body(sofia)
    sofia.find_element(By.PARTIAL_LINK_TEXT, "Impresión").click()
    wait_for(sofia, lambda d: d.find_elements(By.ID, "intake"))
    assert "Impresión" in sofia.find_element(By.ID, "intake-title").text
    legend = sofia.find_element(By.CSS_SELECTOR, "#q-shows_error legend").text
    assert "¿La impresora muestra un error?" in legend, legend
    untranslated = sofia.find_element(By.CSS_SELECTOR, "#why-tried span[lang=en]").text
    assert untranslated == "So we never ask you to repeat it.", untranslated
    audit(sofia, "/portal/new/{category} in Spanish")
    sofia.find_element(By.ID, "subject").send_keys("La impresora no imprime")
    sofia.find_element(By.ID, "description").send_keys("Desde esta mañana muestra un error.")
    sofia.find_element(By.CSS_SELECTOR, "input[name=answer_shows_error][value=yes]").click()
    wait_for(sofia, lambda d: d.find_element(By.ID, "q-error_code").is_displayed())
    assert "E01 (atasco de papel)" in sofia.find_element(By.ID, "q-error_code").text
    shoot(sofia, "portal-form")
    sofia.find_element(By.CSS_SELECTOR, "input[name=answer_error_code][value=E01]").click()
    reference = file_request(sofia)

    ann = browsers()
    sign_in(ann, desk, "ann@desk.example")
    ann.get(desk.base + f"/desk/cases/{reference}")
    note = ann.find_element(By.ID, "intake-untranslated").text
    assert "Company" in note and "What have you tried?" in note and "Error code" in note, note
    assert "Does the printer show an error?" not in note, "that question was wholly translated"
    assert "The customer filled in this form in Español." in body(ann)
    audit(ann, "case page with untranslated intake questions")
    shoot(ann, "desk-told")

    admin.set_window_size(390, 900)
    dark(admin)
    admin.get(desk.base + "/admin/translations?language=es&show=all")
    assert admin.find_element(By.ID, name + "-text").get_attribute("value") == "Impresión"
    audit(admin, "/admin/translations at 390 px, dark")
    shoot(admin, "narrow-dark")


def admin_in(desk, browsers, language):
    """The admin's profile set to `language`, signed in; answers the browser and the admin's id."""
    users = desk.call("GET", "/users?role=admin")
    admin_id = next(u["id"] for u in (users["items"] if isinstance(users, dict) else users) if u["email"] == "admin@cb.example")
    desk.call("PATCH", f"/users/{admin_id}", {"language": language})
    admin = browsers()
    sign_in_admin(admin, desk)
    return admin, admin_id


def test_the_dashboard_reads_in_german_with_german_numbers(desk, browsers):
    admin, _ = admin_in(desk, browsers, "de")
    admin.get(desk.base + "/reports/dashboard")
    assert admin.find_element(By.ID, "dash-title").text == "Übersicht"
    assert "Warteschlange jetzt" in body(admin) and "Queue now" not in body(admin)
    assert admin.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    audit(admin, "/reports/dashboard in German")
    shoot(admin, "dashboard-de")


def test_admin_and_report_pages_read_in_german(desk, browsers):
    admin, admin_id = admin_in(desk, browsers, "de")
    admin.get(desk.base + "/admin")
    text = body(admin)
    assert "Service-Level-Richtlinien" in text and "Gruppen und Stufen" in text and "Service-level policies" not in text, text
    intake = "/admin/categories/" + desk.category["id"].lower() + "/intake"
    pages = [("/admin", "admin", "Gruppen und Stufen", "Service-level policies"),
             ("/admin/sla-policies", "sla-policies", "Richtlinie hinzufügen", "Add a policy"),
             (intake, "intake-editor", "Neue Version veröffentlichen", "Publish new version"),
             ("/reports/charts", "charts", "Die Zahlen als CSV herunterladen", "Download the figures")]
    for scheme in ("light", "dark"):
        dark(admin, scheme == "dark")
        for width in (1366, 390):
            admin.set_window_size(width, 900)
            for path, name, german, english in pages:
                admin.get(desk.base + path)
                assert admin.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
                text = body(admin)
                assert german in text and english not in text, f"{path}: {text}"
                shoot(admin, f"{name}-de-{width}-{scheme}")
                # German words are long: nothing may push the page wider than a phone.
                overflow = admin.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                widest = admin.execute_script(
                    "let w=null; for (const e of document.querySelectorAll('body *')) { const r=e.getBoundingClientRect();"
                    " if (r.right > document.documentElement.clientWidth && (!w || r.right > w.r)) w={r:r.right, t:e.tagName+'.'+e.className+' '+(e.textContent||'').slice(0,40)}; } return w && w.t")
                assert overflow <= 0, f"{path} at {width}px is {overflow}px too wide: {widest}"
                audit(admin, f"{path} in German at {width}px, {scheme}")
    dark(admin, False)
    admin.set_window_size(1366, 900)
    desk.call("PATCH", f"/users/{admin_id}", {"language": "en"})


SPANISH_FORM = {
    "name": "Impresión", "description": "Impresoras que se atascan, se paran o muestran errores.",
    "company.label": "Empresa", "company.why": "Para aplicar su contrato.",
    "version.label": "Versión del firmware", "version.why": "Las soluciones cambian de una versión a otra.",
    "shows_error.label": "¿La impresora muestra un error?", "shows_error.why": "Un código de error señala la pieza que falla.",
    "error_code.label": "Código de error", "error_code.why": "Cada código indica una pieza, así traemos el repuesto adecuado.",
    "error_code.option.0": "E01", "error_code.option.1": "E02", "error_code.option.2": "otro",
    "tried.label": "¿Qué ha probado ya?", "tried.why": "Para no pedirle nunca que lo repita.",
}


def no_english_marks(driver, where):
    marked = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "main [lang=en]")]
    assert marked == [], f"{where}: shown in English: {marked}"


def test_a_spanish_customers_whole_journey_reads_spanish(desk, browsers):
    category = desk.category["id"].lower()
    for kind in ["category", "intake"]:
        for entry in desk.call("GET", f"/translations?language=es&kind={kind}"):
            if entry["item_id"].lower() == category:
                desk.call("PUT", f"/translations/{kind}/{category}/{entry['field']}/es", {"text": SPANISH_FORM[entry["field"]]})
    assert desk.call("GET", "/translations?language=es&kind=intake&state=missing") == []
    desk.call("POST", "/users", {"email": "lucia@desk.example", "name": "Lucía Agente", "role": "agent", "password": PASSWORD,
                                 "writes_languages": ["es", "en"]})

    sofia = browsers()
    sign_in(sofia, desk, "sofia@acme.example")
    sofia.get(desk.base + f"/portal/new/{category}")
    no_english_marks(sofia, "the intake form")
    sofia.find_element(By.ID, "subject").send_keys("La impresora se atasca")
    sofia.find_element(By.ID, "description").send_keys("Se atasca cada mañana en la bandeja 2.")
    sofia.find_element(By.CSS_SELECTOR, "input[name=answer_shows_error][value=no]").click()
    reference = file_request(sofia)
    acknowledgement = [m for m in desk.call("GET", "/outbound/email") if m["kind"] == "acknowledgement" and "sofia@acme.example" in m["recipients"]]
    assert acknowledgement and reference in acknowledgement[0]["subject"], desk.call("GET", "/outbound/email")

    lucia = browsers()
    sign_in(lucia, desk, "lucia@desk.example")
    lucia.get(desk.base + f"/desk/cases/{reference}")
    assert "no Español translation" not in body(lucia) and not lucia.find_elements(By.ID, "intake-untranslated")
    lucia.find_element(By.ID, "reply-text").send_keys("Hola Sofía: hemos limpiado el rodillo de la bandeja 2. ¿Puede comprobarlo?")
    lucia.find_element(By.ID, "reply-send").click()
    wait_for(lucia, lambda d: "rodillo" in d.find_element(By.CSS_SELECTOR, "ol.timeline").text)

    case_id = desk.call("GET", f"/cases/{reference}")["id"]
    problem = desk.call("POST", "/problems", {"title": "Tray 2 roller wears out", "status": "known_error", "root_cause": "A worn roller",
                                              "workaround": "Clean the tray 2 roller weekly.", "cases": [reference]})
    desk.call("PUT", f"/translations/problem/{problem['id']}/title/es", {"text": "El rodillo de la bandeja 2 se desgasta"})
    desk.call("PUT", f"/translations/problem/{problem['id']}/workaround/es", {"text": "Limpie el rodillo de la bandeja 2 cada semana."})
    desk.call("POST", f"/problems/{problem['id']}/release-fix", {"fix_version_id": desk.version["id"]})
    assert case_id

    sofia.get(desk.base + f"/portal/cases/{reference}")
    page = body(sofia)
    assert "El rodillo de la bandeja 2 se desgasta" in page and "Limpie el rodillo de la bandeja 2 cada semana." in page, page
    assert "La solución definitiva para este problema (El rodillo de la bandeja 2 se desgasta)" in page, page
    assert "rodillo de la bandeja 2. ¿Puede comprobarlo?" in page
    for english in ["The permanent fix", "Tray 2 roller", "Clean the tray"]:
        assert english not in page, english
    assert not sofia.find_elements(By.CSS_SELECTOR, "input[name=choice]"), "once the fix has shipped there is nothing left to choose"
    no_english_marks(sofia, "the case page")
    audit(sofia, "/portal/cases/{reference} in Spanish after the fix")
    shoot(sofia, "spanish-journey")

    # A refusal reads Spanish too: the page's heading and the reason, with the reference she typed.
    sofia.get(desk.base + "/portal/cases/CB-99999")
    page = body(sofia)
    assert "No se encontró el caso CB-99999." in page and "was not found" not in page, page
    audit(sofia, "a missing case in Spanish")
    shoot(sofia, "spanish-not-found")
