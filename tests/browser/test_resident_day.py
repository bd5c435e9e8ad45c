"""A resident's day on a 360-pixel phone, in a real Chromium against the demo server: report
a problem, track it with the code, and once the officer has resolved it (through the
reports service, run against the server's database) say that it is fixed and rate it. Then
a logged-in resident finds the report on their home page and reopens it.

The demo server and the browser are the fixtures of test_browser_coverage."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from test_browser_coverage import PHONE, Demo, browser, demo, fits_the_screen, log_in  # noqa: F401
from test_report_form import fill_and_send, read_the_code, stored

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("POLMAS_SCREENSHOTS", "")) if os.environ.get("POLMAS_SCREENSHOTS") else None

RESOLVE = """
import django
django.setup()
from django.contrib.auth.models import User
from polmas.reports.services import report_set_status
report_set_status(actor=User.objects.get(username="bhabin"), report_id={id}, status="resolved",
                  summary="Pelaku ditemukan; motor sudah dikembalikan kepada pemiliknya.")
"""


def resolve(demo: Demo, report_id: int) -> None:  # noqa: F811
    """The village's officer resolves the report, through the service, in the server's database."""
    uv = shutil.which("uv")
    assert uv
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(POLMAS_DEBUG="1", POLMAS_VAR_DIR=str(demo.database.parent),
               DJANGO_SETTINGS_MODULE="polmas.settings")
    done = subprocess.run([uv, "run", "python", "-c", RESOLVE.format(id=int(report_id))],  # noqa: S603
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def shot(page: Page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def phone(browser: Browser, demo: Demo) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="id-ID", base_url=demo.url)
    context.set_default_timeout(15_000)
    violations: list[str] = []
    context.on("console", lambda m: violations.append(m.text)
               if "Content Security Policy" in m.text else None)
    yield context.new_page()
    context.close()
    assert violations == [], "the page broke its Content Security Policy"


def open_status(page: Page, code: str) -> None:
    page.goto("/lapor/status/")
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.click(".status-form button[type=submit]")


def test_report_track_and_confirm_it_is_fixed(phone: Page, demo: Demo):  # noqa: F811
    page = phone
    fill_and_send(page, place="Les", description="Sepeda motor hilang dari depan warung semalam.")
    code = read_the_code(page)
    assert page.locator("dd").nth(1).inner_text() == "Pencurian"  # the category chosen
    report = stored(demo, code)

    open_status(page, code)
    assert page.locator('[data-col="status"]').inner_text() == "diterima"
    assert page.locator("#feedback").count() == 0  # nothing to answer while it is open

    resolve(demo, report["id"])
    open_status(page, code)
    assert page.locator('[data-col="status"]').inner_text() == "selesai ditangani"
    assert "dikembalikan" in page.locator('[data-col="summary"]').inner_text()
    assert page.locator("#feedback").is_visible()
    assert fits_the_screen(page)
    shot(page, "resident-status-feedback-360")

    page.check("#feedback input[name=fixed][value=yes]")
    page.check("#feedback input[name=rating][value='5']")
    with page.expect_navigation():
        page.click("#feedback button[type=submit]")
    assert page.locator("#thanks").is_visible()
    assert page.locator("#feedback").count() == 0
    rows = demo.query("SELECT fixed, rating, reopened FROM reports_feedback WHERE report_id = ?",
                      report["id"])
    assert rows == [(1, 5, 0)]
    assert fits_the_screen(page)


def test_a_logged_in_resident_finds_the_report_at_home_and_reopens_it(phone: Page, demo: Demo):  # noqa: F811
    page = phone
    log_in(page, "warga")
    nav = page.locator(".site-nav")
    for link in ("/lapor/", "/lapor/status/", "/statistik/"):
        assert nav.locator(f'a[href="{link}"]').count() == 1, link
    page.goto("/lapor/")
    page.select_option("#id_category", "theft")
    page.fill("#id_description", "Tabung gas dicuri dari dapur warung.")
    page.fill("#id_place", "Les")
    page.check("#id_anonymous_1")
    page.fill("#id_phone", "081234567890")
    with page.expect_navigation():
        page.click("form.report button[type=submit]")
    report = stored(demo, read_the_code(page))

    page.goto("/")
    mine = page.locator(f'#my-reports li[data-report="{report["id"]}"]')
    assert mine.is_visible() and "diterima" in mine.inner_text()
    assert page.locator("#resident-officer").is_visible()
    assert fits_the_screen(page)
    shot(page, "resident-home-360")

    resolve(demo, report["id"])
    with page.expect_navigation():
        mine.locator("a").click()
    page.check("#feedback input[name=fixed][value=no]")
    page.check("#feedback input[name=reopen]")
    page.check("#feedback input[name=rating][value='2']")
    with page.expect_navigation():
        page.click("#feedback button[type=submit]")
    assert page.locator("#thanks").is_visible()
    assert page.locator('[data-col="status"]').inner_text() == "sedang ditangani"
    assert demo.query("SELECT status FROM reports_report WHERE id = ?", report["id"]) == [("in_progress",)]
    shot(page, "resident-reopened-360")


def test_the_public_list_and_me_too(phone: Page, demo: Demo):  # noqa: F811
    page = phone
    page.goto("/lapor/publik/?category=theft")
    first = page.locator("article.public-report").first
    assert first.is_visible()
    assert fits_the_screen(page)
    expect(page.locator("#public-map .leaflet-pane").first).to_be_attached()
    shot(page, "public-list-360")
    button = page.locator("article.public-report form button").first
    article_id = button.locator("xpath=ancestor::article").get_attribute("id")
    with page.expect_navigation():
        button.click()
    assert page.locator("#messages").is_visible()
    assert page.locator(f"#{article_id} form").count() == 0  # counted: the button is gone


@pytest.mark.parametrize("width", [360, 1366])
def test_the_residents_pages_fit_the_screen(browser: Browser, demo: Demo, width: int):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID",
                                  base_url=demo.url)
    page = context.new_page()
    try:
        for name, path in [("reset", "/accounts/password/reset/"), ("public", "/lapor/publik/"),
                           ("form", "/lapor/")]:
            page.goto(path)
            assert fits_the_screen(page), path
            shot(page, f"{name}-{width}")
        log_in(page, "warga")
        assert fits_the_screen(page)
        shot(page, f"home-{width}")
        page.click(".site-header button:has-text('Keluar')")
        page.wait_for_url("**/accounts/login/")
        assert page.locator("#messages").is_visible()  # logged out: it says so
        shot(page, f"logged-out-{width}")
    finally:
        context.close()
