"""Imports in Chromium: an admin unpacks a Zendesk export into the import folder, is refused a folder that is not
there (the folders that are named, what was typed kept), starts the import from Admin → Imports and follows it to done;
the imported case carries its custom field as a field."""
import os
import shutil
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_accessibility import audit
from test_areas import open_form, shoot, sign_in_admin
from test_pages import wait_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def start(driver, folder):
    open_form(driver, "create")
    form = driver.find_element(By.ID, "create")
    Select(form.find_element(By.NAME, "source")).select_by_value("zendesk")
    box = form.find_element(By.NAME, "folder")
    box.clear()
    box.send_keys(folder)
    form.submit()


def test_an_admin_imports_a_zendesk_export_from_the_import_folder(desk, browsers):
    shutil.copytree(FIXTURES / "zendesk", Path(desk.cb.data_dir) / "imports" / "zendesk-march")
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/imports")
    assert "Zendesk" in admin.find_element(By.TAG_NAME, "main").text

    start(admin, "zendesk-april")
    wait_for(admin, lambda d: d.find_elements(By.CSS_SELECTOR, "#create [role=alert]"))
    assert "zendesk-march" in admin.find_element(By.CSS_SELECTOR, "#create [role=alert]").text, "the folders there are named"
    assert admin.find_element(By.ID, "create-folder").get_attribute("value") == "zendesk-april"
    audit(admin, "import refused")
    shoot(admin, "import-refused")

    start(admin, "zendesk-march")
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "zendesk-march")
    deadline = time.time() + 30
    while time.time() < deadline and "done" not in admin.find_element(By.TAG_NAME, "main").text:
        time.sleep(0.5)
        admin.refresh()
    main = admin.find_element(By.TAG_NAME, "main").text
    assert "done" in main and "missing.txt" in main, main
    assert not admin.find_elements(By.LINK_TEXT, "zendesk-march"), "a folder's name is no link"
    audit(admin, "import done")
    shoot(admin, "import-done")

    found = desk.call("GET", "/cases?q=portal&status=new,open,pending_customer,pending_vendor,solved,closed")
    login = next(c for c in found["items"] if c["subject"] == "Cannot log in to the portal")
    assert desk.call("GET", f"/cases/{login['reference']}")["custom_fields"] == {"plan": "gold"}


def upload(driver, source, archive):
    Select(driver.find_element(By.ID, "upload-source")).select_by_value(source)
    driver.find_element(By.ID, "upload-file").send_keys(str(FIXTURES / "zips" / archive))
    driver.find_element(By.ID, "upload-submit").click()


def follow_to_done(driver, folder):
    wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == folder, timeout=30)
    deadline = time.time() + 30
    while time.time() < deadline and "done" not in driver.find_element(By.TAG_NAME, "main").text:
        time.sleep(0.5)
        driver.refresh()
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "done" in main and "missing.txt" in main, main


def test_an_admin_uploads_a_zendesk_export_zip_and_follows_its_import(desk, browsers):
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/imports")
    admin.find_element(By.LINK_TEXT, "Upload an export (.zip)").click()
    wait_for(admin, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Upload an export (.zip)")
    audit(admin, "import upload")
    shoot(admin, "import-upload")

    # A zip that is no export: the script shows why, the chosen source stays, nothing is started.
    upload(admin, "freshdesk", "no-tickets.zip")
    wait_for(admin, lambda d: d.find_element(By.ID, "upload-error").is_displayed())
    assert "tickets.json" in admin.find_element(By.ID, "upload-error").text
    assert Select(admin.find_element(By.ID, "upload-source")).first_selected_option.get_attribute("value") == "freshdesk"
    assert admin.find_element(By.ID, "upload-submit").is_enabled()
    audit(admin, "import upload refused")
    shoot(admin, "import-upload-refused")
    assert desk.call("GET", "/imports") == []

    upload(admin, "zendesk", "zendesk-export.zip")
    follow_to_done(admin, "zendesk-export")
    shoot(admin, "import-upload-done")
    found = desk.call("GET", "/cases?q=portal&status=new,open,pending_customer,pending_vendor,solved,closed")
    assert any(c["subject"] == "Cannot log in to the portal" for c in found["items"])


def test_without_scripts_the_upload_form_posts_the_zip_and_a_refusal_keeps_the_source(desk, browsers):
    admin = browsers(javascript=False)
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/imports/upload")
    upload(admin, "freshdesk", "climbs-out.zip")
    wait_for(admin, lambda d: d.find_element(By.ID, "upload-error").is_displayed())
    assert "outside its folder" in admin.find_element(By.ID, "upload-error").text
    assert Select(admin.find_element(By.ID, "upload-source")).first_selected_option.get_attribute("value") == "freshdesk"
    shoot(admin, "import-upload-refused-no-script")
    assert not list((Path(desk.cb.data_dir) / "imports").glob("climbs-out*"))

    upload(admin, "zendesk", "zendesk-export.zip")
    follow_to_done(admin, "zendesk-export")


def test_an_export_over_the_upload_limit_is_refused_before_it_is_sent(casebook_factory, browsers, tmp_path):
    from conftest import Desk
    instance = casebook_factory(CASEBOOK_IMPORT_UPLOAD_MAX_MB="1")
    instance.admin_token()
    instance.start()
    desk = Desk(instance).seed()
    big = tmp_path / "big-export.zip"
    big.write_bytes(os.urandom(3 * 1024 * 1024))
    admin = browsers()
    sign_in_admin(admin, desk)
    admin.get(desk.base + "/admin/imports/upload")
    assert "Up to 1 MB" in admin.find_element(By.ID, "upload-file-hint").text
    admin.find_element(By.ID, "upload-file").send_keys(str(big))
    admin.find_element(By.ID, "upload-submit").click()
    wait_for(admin, lambda d: d.find_element(By.ID, "upload-error").is_displayed())
    message = admin.find_element(By.ID, "upload-error").text
    assert "3 MB" in message and "at most 1 MB" in message, message
    assert admin.find_element(By.ID, "upload-progress").get_attribute("hidden") is not None, "nothing was sent"
    assert not list((Path(desk.cb.data_dir) / "imports").glob("big-export*"))
    shoot(admin, "import-upload-too-large")
