"""Accessibility checks run in the browser on every kind of page: labels, landmarks, contrast, phone width."""
from pathlib import Path

from selenium.webdriver.common.by import By

from test_pages import open_case_for_carla, sign_in, wait_for

AUDIT = r"""
function luminance(rgb) {
  var c = rgb.slice(0, 3).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function parse(color) { var m = color.match(/[\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 1]; }
function background(el) {
  while (el && el.nodeType === 1) {
    var c = parse(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0.9) return c;
    el = el.parentElement;
  }
  return [255, 255, 255, 1];
}
var problems = [];
document.querySelectorAll("input, select, textarea").forEach(function (el) {
  if (el.type === "hidden" || el.offsetParent === null) return;
  var labelled = el.getAttribute("aria-label") || el.closest("label") || (el.id && document.querySelector('label[for="' + el.id + '"]'));
  if (!labelled) problems.push("no label: " + el.outerHTML.slice(0, 80));
});
["main", "header", "nav"].forEach(function (tag) {
  if (tag === "nav" && !document.querySelector("header nav") && !document.querySelector("[data-no-nav]")) return;
  if (!document.querySelector(tag)) problems.push("no <" + tag + "> landmark");
});
if (!document.querySelector("h1")) problems.push("no h1");
if (!document.documentElement.lang) problems.push("no lang");
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
var checked = 0;
while (walker.nextNode()) {
  var node = walker.currentNode;
  if (!node.textContent.trim()) continue;
  var el = node.parentElement;
  if (!el || el.offsetParent === null) continue;
  var style = getComputedStyle(el);
  var fg = parse(style.color), bg = background(el);
  var a = luminance(fg), b = luminance(bg);
  var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  var large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
  checked++;
  if (ratio < (large ? 3 : 4.5)) problems.push("contrast " + ratio.toFixed(2) + " for '" + node.textContent.trim().slice(0, 30) + "'");
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push("scrolls sideways at " + window.innerWidth + "px");
return {problems: problems, checked: checked};
"""


def axe_source() -> str:
    """axe-core 4.x as shipped inside the axe-core-python wheel from PyPI (scripts/test.sh installs it)."""
    import axe_core_python
    return (Path(axe_core_python.__file__).parent / "axe.min.js").read_text()


AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  done(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" "); })};
  }));
}, function (e) { done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]); });
"""


def axe_violations(driver):
    """The serious and critical violations axe-core finds on the page as it is now."""
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(axe_source())
    driver.set_script_timeout(30)
    return [v for v in driver.execute_async_script(AXE_RUN) if v["impact"] in ("serious", "critical")]


def audit(driver, path_label):
    result = driver.execute_script(AUDIT)
    assert result["checked"] > 5, path_label
    assert result["problems"] == [], f"{path_label}: {result['problems']}"
    violations = axe_violations(driver)
    assert violations == [], f"{path_label}: axe-core: {violations}"


def test_pages_have_labels_landmarks_and_contrast_on_desktop_and_phone(desk, browsers):
    ref = open_case_for_carla(desk, "Accessible case")["reference"]
    agent = browsers()
    agent.get(desk.base + "/login")
    audit(agent, "login")
    # The audit itself catches what it looks for: pale text and an unlabelled field.
    agent.execute_script("var p = document.createElement('p'); p.textContent = 'pale words'; p.style.color = '#bbbbbb';"
                         "document.querySelector('main').appendChild(p); document.querySelector('main').appendChild(document.createElement('input'));")
    caught = agent.execute_script(AUDIT)["problems"]
    assert any("contrast" in p and "pale words" in p for p in caught) and any(p.startswith("no label") for p in caught)
    # axe-core sees the same planted faults, so a clean result below means something.
    found = {v["id"] for v in axe_violations(agent)}
    assert "label" in found and "color-contrast" in found, found
    sign_in(agent, desk, "ann@desk.example")
    pages = ["/desk?view=all", f"/desk/cases/{ref}"]
    customer = browsers()
    sign_in(customer, desk, "carla@acme.example")
    customer_pages = ["/portal", "/portal/new", f"/portal/new/{desk.category['id']}", f"/portal/cases/{ref}"]
    for width in (1366, 390):
        for driver, paths in ((agent, pages), (customer, customer_pages)):
            driver.set_window_size(width, 900)
            for path in paths:
                driver.get(desk.base + path)
                audit(driver, f"{path} at {width}px")
    assert customer.find_element(By.CSS_SELECTOR, "a.skip").get_attribute("href").endswith("#main")


def test_admin_pages_pass_the_audit_and_axe_core(desk, browsers):
    admin = browsers()
    admin.get(desk.base + "/login")
    admin.find_element(By.ID, "email").send_keys("admin@cb.example")
    admin.find_element(By.ID, "password").send_keys("a-long-admin-password")
    admin.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(admin, lambda d: "/login" not in d.current_url)
    for path in ["/admin", "/admin/users", "/admin/organisations", "/admin/contracts", "/admin/products", "/admin/categories",
                 "/admin/groups", "/admin/canned", "/admin/templates", "/admin/email", f"/admin/categories/{desk.category['id']}/intake",
                 "/desk?view=breached", "/desk?view=all&status=any&q=printer"]:
        admin.get(desk.base + path)
        audit(admin, path)


def test_a_missing_case_and_an_expired_form_show_a_readable_page_not_json(desk, browsers):
    agent = browsers()
    sign_in(agent, desk, "ann@desk.example")
    agent.get(desk.base + "/desk/cases/CB-99999")
    assert agent.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "{" not in agent.find_element(By.TAG_NAME, "main").text
    audit(agent, "not-found page")
    visitor = browsers()
    visitor.get(desk.base + "/login")
    # The form's token lives in the visitor's own cookie; without it (an expired or foreign form) the post is refused.
    visitor.delete_cookie("casebook_csrf")
    visitor.find_element(By.ID, "email").send_keys("ann@desk.example")
    visitor.find_element(By.ID, "password").send_keys("whatever-it-is")
    visitor.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(visitor, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Not allowed")
    assert "Reload the page" in visitor.find_element(By.CSS_SELECTOR, "[role=alert]").text
    audit(visitor, "refused form page")
