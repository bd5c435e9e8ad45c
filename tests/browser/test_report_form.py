"""The public report form in a real Chromium on a 360-pixel phone: with JavaScript, without it,
and with "use my location". The tracking code read off the confirmation opens the status page.

The demo server and the browser are the fixtures of test_browser_coverage (the demo in a
temporary directory, served by `polmas runserver`); what the server stored is read back from
its SQLite file.
"""

import hashlib
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from test_browser_coverage import PHONE, Demo, browser, demo, fits_the_screen  # noqa: F401

pytestmark = pytest.mark.browser

LES = "51.08.09.2007"
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def _page(browser: Browser, demo: Demo, **options: object) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="id-ID", base_url=demo.url, **options)
    context.set_default_timeout(15_000)
    violations: list[str] = []
    context.on("console", lambda m: violations.append(m.text)
               if "Content Security Policy" in m.text else None)
    yield context.new_page()
    context.close()
    assert violations == [], "the page broke its Content Security Policy"


@pytest.fixture
def phone(browser: Browser, demo: Demo) -> Iterator[Page]:  # noqa: F811
    yield from _page(browser, demo)


@pytest.fixture
def phone_without_js(browser: Browser, demo: Demo) -> Iterator[Page]:  # noqa: F811
    yield from _page(browser, demo, java_script_enabled=False)


@pytest.fixture
def phone_in_les(browser: Browser, demo: Demo) -> Iterator[Page]:  # noqa: F811
    """A phone standing in Desa Les that lets the page ask where it is."""
    yield from _page(browser, demo, geolocation={"latitude": -8.14705, "longitude": 115.36655},
                     permissions=["geolocation"])


def stored(demo: Demo, code: str) -> dict:  # noqa: F811
    """The report the server stored under this tracking code (found by its hash)."""
    digest = hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    rows = demo.query("SELECT r.id, r.channel, r.region_code, r.anonymous, r.reporter_name, "
                      "r.reporter_phone, r.reporter_email, r.description, c.code FROM reports_report r "
                      "JOIN reports_category c ON c.id = r.category_id WHERE r.tracking_hash = ?", digest)
    assert len(rows) == 1, f"no report stored under {code}"
    keys = ("id", "channel", "village", "anonymous", "name", "phone", "email", "description", "category")
    return dict(zip(keys, rows[0], strict=True))


def fill_and_send(page: Page, *, place: str, description: str) -> None:
    page.goto("/lapor/")
    assert page.locator("h1").inner_text() == "Laporkan masalah keamanan"
    assert fits_the_screen(page)
    assert page.locator("#id_anonymous_0").is_checked()  # anonymous is the default
    page.select_option("#id_category", "theft")
    page.fill("#id_description", description)
    if place:
        page.fill("#id_place", place)
    with page.expect_navigation():
        page.click("form.report button[type=submit]")


def read_the_code(page: Page) -> str:
    page.wait_for_url("**/lapor/terkirim/")
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE.fullmatch(code), code
    assert code not in page.url
    assert "Tulis kode ini sekarang." in page.locator(".write-down").inner_text()
    family = page.locator("#tracking-code").evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" in family.lower() or "consolas" in family.lower()
    assert fits_the_screen(page)
    return code


def check_the_status(page: Page, code: str, report_id: int) -> None:
    page.goto("/lapor/status/")
    page.fill("#id_code", code.lower())
    with page.expect_navigation():
        page.click(".status-form button[type=submit]")
    assert page.locator("#result h2").inner_text() == f"Laporan no. {report_id}"
    assert page.locator('[data-col="category"]').inner_text() == "Pencurian"
    assert page.locator('[data-col="village"] .village-name').inner_text() == "Les"
    assert page.locator('[data-col="status"]').inner_text() == "diterima"
    assert "WITA" in page.locator(".timeline").inner_text()
    assert code not in page.url
    assert fits_the_screen(page)


def test_a_resident_reports_anonymously_and_follows_the_report(phone: Page, demo: Demo):  # noqa: F811
    text = "Ada pencurian ayam di banjar dekat pura, dua malam berturut-turut."
    fill_and_send(phone, place="Les", description=text)

    code = read_the_code(phone)
    report = stored(demo, code)
    assert (report["channel"], report["village"], report["category"]) == ("web", LES, "theft")
    assert text not in report["description"]  # encrypted at rest
    assert demo.decrypt(report["description"]) == text
    assert report["anonymous"] == 1
    assert (report["name"], report["phone"], report["email"]) == ("", "", "")

    with phone.expect_navigation():  # "see its status"
        phone.click("form[action='/lapor/status/'] button[type=submit]")
    assert phone.locator('[data-col="status"]').inner_text() == "diterima"
    assert text not in phone.content()
    phone.reload()  # the confirmation is gone once shown
    check_the_status(phone, code, report["id"])


def test_the_form_works_without_javascript(phone_without_js: Page, demo: Demo):  # noqa: F811
    page = phone_without_js
    fill_and_send(page, place="Sidomulyo", description="Balap liar setiap malam Minggu di jalan desa.")

    assert page.locator("#geo").is_hidden()  # no "use my location" without JavaScript
    choices = page.locator("#choices input[name=village_choice]")
    assert choices.count() > 1
    picked = choices.nth(1).get_attribute("value")
    choices.nth(1).check()
    with page.expect_navigation():
        page.click("form.report button[type=submit]")

    code = read_the_code(page)
    report = stored(demo, code)
    assert report["village"] == picked
    assert report["anonymous"] == 1
    page.goto("/lapor/terkirim/")
    assert page.locator("#tracking-code").count() == 0
    page.goto("/lapor/status/")
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.click(".status-form button[type=submit]")
    assert page.locator("#result h2").inner_text() == f"Laporan no. {report['id']}"
    assert page.locator('[data-col="status"]').inner_text() == "diterima"


def test_use_my_location_finds_the_village(phone_in_les: Page, demo: Demo):  # noqa: F811
    page = phone_in_les
    page.goto("/lapor/")
    page.select_option("#id_category", "theft")
    page.fill("#id_description", "Kabel listrik di balai banjar dicuri.")
    page.click("#geo-button")
    expect(page.locator("#id_latitude")).not_to_have_value("")
    # It says which village it picked (GET /lapor/lokasi/), before anything is sent.
    # (expect polls from Playwright's side: a string predicate would be eval'd, which the CSP forbids.)
    expect(page.locator("#geo-status")).to_contain_text("Les")
    assert "Tejakula" in page.locator("#geo-status").inner_text()
    with page.expect_navigation():
        page.click("form.report button[type=submit]")

    code = read_the_code(page)
    assert stored(demo, code)["village"] == LES
    check_the_status(page, code, stored(demo, code)["id"])


def test_a_wrong_field_comes_back_named_on_the_phone(phone: Page, demo: Demo):  # noqa: F811
    before = demo.query("SELECT count(*) FROM reports_report")[0][0]
    fill_and_send(phone, place="Qwzxv Jklmnop", description="Ada keributan.")

    assert phone.locator("#errors").inner_text().count("Tempat:") == 1
    assert "tidak ditemukan" in phone.locator("fieldset.where .errorlist").inner_text()
    assert phone.locator("#id_description").input_value() == "Ada keributan."
    assert demo.query("SELECT count(*) FROM reports_report")[0][0] == before
    assert fits_the_screen(phone)


def test_help_shows_at_once_for_a_sensitive_category(phone: Page):
    phone.goto("/lapor/")
    assert phone.locator("#sensitive-help").is_hidden()

    phone.select_option("#id_category", "domestic_violence")

    help_box = phone.locator("#sensitive-help")
    assert help_box.is_visible()
    assert "110" in help_box.inner_text() and "SAPA 129" in help_box.inner_text()
    phone.select_option("#id_category", "noise")
    assert help_box.is_hidden()
