"""Accessible to everyone (issue 15): the pages of the resident's and the officer's main tasks
pass axe-core with no serious or critical violation, forms announce their errors and tie each
one to its field, field edges contrast enough with the page, and the report form works with
the keyboard alone. In a real Chromium on a 360-pixel phone.

axe-core is the copy shipped inside the axe-playwright-python package, injected into the page:
nothing is fetched from outside."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from test_browser_coverage import Demo, browser, demo, log_in, page  # noqa: F401

pytestmark = pytest.mark.browser

LES = "51.08.09.2007"
BLOCKING = {"serious", "critical"}
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")
axe = Axe()

# Every aria-describedby/-labelledby names an element that exists; each field marked invalid
# is described by a text that says what is wrong; and an alert holds the errors.
ERRORS_JS = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('[aria-describedby],[aria-labelledby]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${el.id || el.name}: ${attr} names missing #${id}`);
      }
    }
  }
  const invalid = [...document.querySelectorAll('[aria-invalid="true"]')];
  for (const el of invalid) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    const said = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    if (!said) problems.push(`${el.id}: invalid, but nothing describes the error`);
  }
  const alert = document.querySelector('[role="alert"], [aria-live="assertive"]');
  if (invalid.length && !(alert && alert.textContent.trim())) problems.push('no alert announces the errors');
  return {problems, invalid: invalid.length};
}"""

# The contrast of each visible field's edge with the background behind it (WCAG 1.4.11: 3:1).
CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const behind = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const c = rgb(getComputedStyle(p).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const fields = document.querySelectorAll(
    'input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file]), select, textarea');
  for (const el of fields) {
    if (!el.offsetParent) continue;
    const edge = rgb(getComputedStyle(el).borderTopColor).slice(0, 3);
    const a = lum(edge), b = lum(behind(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 3) out.push(`${el.id || el.name}: ${ratio.toFixed(2)}:1`);
  }
  return out;
}"""


def blocking(pg: Page) -> list[str]:
    """Each serious or critical axe violation on the page, as 'rule (impact): where'."""
    found = []
    for v in axe.run(pg).response["violations"]:
        if v["impact"] in BLOCKING:
            found += [f"{pg.url} {v['id']} ({v['impact']}): {n['target']}" for n in v["nodes"][:5]]
    return found


def visit(pg: Page, path: str) -> list[str]:
    pg.goto(path)
    return blocking(pg) + [f"{path} {c}" for c in pg.evaluate(CONTRAST_JS)]


def submit_empty(pg: Page, path: str, form: str) -> dict:
    """Send the form at `path` as it comes (browser checks off), and read how errors are told."""
    pg.goto(path)
    pg.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    pg.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    with pg.expect_navigation():
        pg.click(f"{form} button[type=submit]")
    found = pg.evaluate(ERRORS_JS)
    found["axe"] = blocking(pg)
    return found


def assert_errors_announced(found: dict, where: str) -> None:
    assert found["invalid"] > 0, f"{where}: the empty form was accepted"
    assert found["problems"] == [], where
    assert found["axe"] == [], where


def case_and_forum(demo: Demo) -> tuple[int, int]:  # noqa: F811
    (case_id,) = demo.query("SELECT id FROM cases_case WHERE region_code = ? AND sensitive = 0 "
                            "AND stage != 'closed' ORDER BY id LIMIT 1", LES)[0]
    (forum_id,) = demo.query("SELECT m.forum_id FROM forums_member m JOIN auth_user u ON u.id = m.user_id "
                             "WHERE u.username = 'fkpm' AND m.active")[0]
    return case_id, forum_id


def test_the_residents_pages_pass_axe_and_announce_errors(page: Page):  # noqa: F811
    problems = []
    for path in ["/", "/lapor/", "/lapor/status/", "/lapor/publik/", "/accounts/login/", "/statistik/"]:
        problems += visit(page, path)
    assert problems == []
    assert_errors_announced(submit_empty(page, "/lapor/", "form.report"), "/lapor/")
    page.goto("/lapor/status/")
    page.fill("#id_code", "AAAA-BBBB-CCCC")
    with page.expect_navigation():
        page.click("form.status-form button[type=submit]")
    assert blocking(page) == []
    assert_errors_announced(submit_empty(page, "/accounts/login/", "form.stacked"), "login")


def test_the_officers_pages_pass_axe_and_announce_errors(page: Page, demo: Demo):  # noqa: F811
    case_id, _forum_id = case_and_forum(demo)
    (report_id,) = demo.query("SELECT id FROM reports_report WHERE region_code = ? AND sensitive = 0 "
                              "ORDER BY id LIMIT 1", LES)[0]
    log_in(page, "bhabin")
    problems = []
    for path in ["/", "/kerja/", f"/kerja/laporan/{report_id}/", f"/kasus/{case_id}/", "/kasus/",
                 "/kasus/baru/", "/kegiatan/baru/", "/kegiatan/", "/akun/notifikasi/"]:
        problems += visit(page, path)
    assert problems == []
    assert_errors_announced(submit_empty(page, "/kegiatan/baru/", "form.stacked.card"), "activity form")
    assert_errors_announced(submit_empty(page, "/kasus/baru/", "form.card"), "case form")


def test_the_forum_members_pages_pass_axe_and_announce_errors(page: Page, demo: Demo):  # noqa: F811
    _case_id, forum_id = case_and_forum(demo)
    problems = visit(page, f"/forum/{forum_id}/kami-bertindak/")
    log_in(page, "fkpm")
    for path in ["/", "/kerja/", "/forum/", f"/forum/{forum_id}/rapat/", f"/forum/{forum_id}/rapat/baru/"]:
        problems += visit(page, path)
    assert problems == []
    assert_errors_announced(submit_empty(page, f"/forum/{forum_id}/rapat/baru/", "form.meeting-form"),
                            "meeting form")
    (meeting_id,) = demo.query("SELECT id FROM forums_meeting WHERE forum_id = ? AND status = 'held' "
                               "ORDER BY id DESC LIMIT 1", forum_id)[0]
    assert_errors_announced(submit_empty(page, f"/forum/rapat/{meeting_id}/", "form[action*='/masalah/']"),
                            "issue form of a meeting")


def tab_to(pg: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus, and check it shows it."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            ring = pg.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                               "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }")
            assert ring, f"{selector} has the focus but shows no focus ring"
            return
    pytest.fail(f"{selector} was not reached with Tab")


def test_a_resident_reports_with_the_keyboard_alone(page: Page, demo: Demo):  # noqa: F811
    page.goto("/lapor/")
    tab_to(page, "#id_category")
    page.keyboard.type("Kebisingan")  # a select picks the option typed, as with a real keyboard
    assert page.eval_on_selector("#id_category", "e => e.value") == "noise"
    tab_to(page, "#id_description")
    page.keyboard.type("Musik keras dari warung sampai jam dua pagi, dikirim dengan papan ketik saja.")
    tab_to(page, "#id_place")
    page.keyboard.type("Les")
    tab_to(page, "form.report button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/lapor/terkirim/")
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE.fullmatch(code)
    tab_to(page, "form[action$='/lapor/status/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#result [data-col=category]").inner_text().strip() == "Kebisingan dan gangguan"
    rows = demo.query("SELECT region_code FROM reports_report WHERE channel = 'web' ORDER BY id DESC LIMIT 1")
    assert rows == [(LES,)]
