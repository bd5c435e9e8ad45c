"""The officer's activity form and a security roster in a real Chromium on a 360-pixel phone:
no JavaScript needed, nothing wider than the screen, a double submit stores one activity.

The demo server and the browser are the fixtures of tests/browser/test_browser_coverage.
"""

import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: E402, F401

pytestmark = pytest.mark.browser


def submit(pg: Page, form: str) -> None:
    with pg.expect_navigation():
        pg.click(f"{form} button[type=submit]")


def test_the_bhabin_records_a_visit_twice_and_it_is_stored_once(page: Page, demo: Demo):  # noqa: F811
    log_in(page, "bhabin")
    page.goto("/kegiatan/baru/")
    assert fits_the_screen(page)
    uid = page.locator("input[name=client_uuid]").input_value()
    page.select_option("#id_kind", "visit")
    page.select_option("#id_village", "51.08.09.2007")
    page.fill("#id_households", "6")
    page.fill("#id_issues_heard", "Warga minta ronda malam diaktifkan lagi.")
    submit(page, "form.stacked")
    assert page.url.endswith("/kegiatan/")
    assert fits_the_screen(page)
    assert "Warga minta ronda malam" in page.locator(f'li[data-uuid="{uid}"]').inner_text()
    # The browser's back button and a second press of Save send the same form again.
    page.go_back()
    if page.locator("#id_households").input_value() != "6":
        page.fill("#id_households", "6")
        page.fill("#id_issues_heard", "Warga minta ronda malam diaktifkan lagi.")
        page.evaluate(f"document.querySelector('input[name=client_uuid]').value = '{uid}'")
    submit(page, "form.stacked")
    stored = demo.query("SELECT households FROM activities_activity WHERE client_uuid = ?",
                        uid.replace("-", ""))
    assert stored == [(6,)]


def test_a_roster_is_made_generated_and_printed_on_a_phone(page: Page, demo: Demo):  # noqa: F811
    log_in(page, "fkpm")
    page.goto("/kegiatan/ronda/baru/")
    assert fits_the_screen(page)
    page.fill("#id_name", "Ronda Uji Peramban")
    page.fill("#id_nights", "7")
    page.fill("#id_max_per_week", "4")  # 8 volunteers x 4 shifts cover 2 posts x 2 x 7 nights
    page.fill("#id_posts", "Pos Utara\nPos Selatan")
    page.fill("#id_volunteers", "\n".join(f"Relawan {i}; ; 0123456" for i in range(8)))
    submit(page, "form.stacked")
    submit(page, 'form[action$="/buat/"]')
    assert page.locator("#roster-table tbody tr").count() == 7
    assert fits_the_screen(page)
    assert not page.locator("#shortages").count()
    page.click('a[href$="/cetak/"]')
    page.wait_for_url("**/cetak/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("table.roster").is_visible()


def test_the_bhabin_attaches_a_photo_and_sees_its_thumbnail(page: Page, demo: Demo, tmp_path):  # noqa: F811
    import io

    from PIL import Image

    photo = tmp_path / "patroli.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(out, format="JPEG")
    photo.write_bytes(out.getvalue())
    log_in(page, "bhabin")
    page.goto("/kegiatan/baru/")
    assert page.locator("#id_photo").get_attribute("accept") == "image/*"
    uid = page.locator("input[name=client_uuid]").input_value()
    page.select_option("#id_kind", "patrol")
    page.select_option("#id_village", "51.08.09.2007")
    page.fill("#id_summary", "Patroli malam dengan foto.")
    page.set_input_files("#id_photo", str(photo))
    submit(page, "form.stacked")
    assert page.url.endswith("/kegiatan/")
    thumb = page.locator(f'li[data-uuid="{uid}"] img.activity-photo')
    thumb.scroll_into_view_if_needed()
    for _ in range(100):  # the browser fetches it once in view: give it up to 10 s
        if thumb.evaluate("img => img.complete && img.naturalWidth"):
            break
        page.wait_for_timeout(100)
    assert thumb.evaluate("img => img.complete && img.naturalWidth") == 320
    assert fits_the_screen(page)
