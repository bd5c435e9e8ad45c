"""The officer's day on a 360-pixel phone (issue 15): a resident reports with a photo and
asks for a WhatsApp answer; the bhabin sees the photo and the contact, answers on WhatsApp,
opens a case from the report and takes it through the SARA stages to closed. The history
reads as sentences in Indonesian, the times in WITA. Screenshots go to $POLMAS_SHOTS (if set).
"""

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401
from test_report_form import read_the_code, stored
from test_work_queue import routed, submit

pytestmark = pytest.mark.browser


def shot(page: Page, name: str) -> None:  # noqa: F811
    folder = os.environ.get("POLMAS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "kandang.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (160, 90, 40)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def report_with_photo(page: Page, tmp_path: Path) -> None:  # noqa: F811
    page.goto("/lapor/")
    page.select_option("#id_category", "theft")
    page.fill("#id_description", "Dua ekor kambing hilang dari kandang semalam.")
    page.fill("#id_place", "Les")
    page.set_input_files("#id_photo", str(photo(tmp_path)))
    page.check("#id_anonymous_1")
    page.fill("#id_name", "Ketut Warga")
    page.fill("#id_phone", "081234567001")
    page.select_option("#id_reply_channel", "whatsapp")
    with page.expect_navigation():
        page.click("form.report button[type=submit]")


def test_the_officer_sees_the_photo_replies_and_closes_the_case(page: Page, demo: Demo, tmp_path: Path):  # noqa: F811
    report_with_photo(page, tmp_path)
    report_id = stored(demo, read_the_code(page))["id"]
    assert "officer" in routed(demo, report_id)

    log_in(page, "bhabin")
    page.goto("/kerja/")
    item = page.locator(f'#officer-reports li[data-report="{report_id}"]')
    assert "WITA" in item.inner_text()
    with page.expect_navigation():
        item.locator(f'a[href="/kerja/laporan/{report_id}/"]').first.click()

    # The photo, through the checked view, and the contact the resident chose.
    img = page.locator("#photo img")
    img.scroll_into_view_if_needed()
    # Polled with evaluate: the app's CSP forbids the eval that wait_for_function needs.
    deadline = time.monotonic() + 30
    while not img.evaluate("el => el.complete && el.naturalWidth > 0"):
        assert time.monotonic() < deadline, "the photo did not load within 30 s"
        page.wait_for_timeout(200)
    assert img.evaluate("i => i.naturalWidth") == 320
    assert "/media/" not in (img.get_attribute("src") or "")
    reporter = page.locator("#reporter").inner_text()
    assert "Ketut Warga" in reporter and "081234567001" in reporter and "WhatsApp" in reporter
    shot(page, "officer-report-360")
    assert fits_the_screen(page)

    page.fill("#id_text", "Terima kasih, Pak Ketut. Sore ini saya datang ke kandang.")
    submit(page, "#reply")
    assert "Sore ini saya datang" in page.locator("#history").inner_text()
    bodies = [b for (b,) in demo.query("SELECT body FROM reports_outboundmessage WHERE report_id = ? "
                                       "AND channel = 'whatsapp'", report_id)]
    assert "Terima kasih, Pak Ketut. Sore ini saya datang ke kandang." in bodies

    with page.expect_navigation():
        page.click("#open-case")
    page.fill("#id_title", "Pencurian kambing di Les")
    submit(page, 'form[action="/kasus/baru/"]')
    page.wait_for_url("**/kasus/*/")
    case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert "Ketut Warga" in page.locator("#scanning").inner_text()

    for name, value in {"victim": "Peternak kambing", "guardian": "Keluarga", "offender": "Pencuri ternak",
                        "handler": "Bhabinkamtibmas", "place": "Kandang di tepi sawah",
                        "manager": "Kelian banjar", "causes": "Kandang tanpa kunci dan lampu.",
                        "community_input": "Warga mau ronda."}.items():
        page.fill(f"#id_analisis_{name}", value)
    submit(page, 'form[action$="/analisis/"]')
    page.fill("#id_respons_plan", "Ronda dan kunci kandang.")
    page.fill("#id_respons_a0_description", "Pasang kunci kandang")
    page.select_option("#id_respons_a0_owner_kind", "village_government")
    page.fill("#id_respons_a0_owner_name", "Perbekel Les")
    page.fill("#id_respons_a0_due", (dt.date.today() + dt.timedelta(days=3)).isoformat())
    submit(page, 'form[action$="/respons/"]')
    assert page.locator("#stage").get_attribute("data-stage") == "response"

    page.select_option("#id_asesmen_outcome", "resolved_action")
    page.fill("#id_asesmen_evidence", "Tidak ada kehilangan sejak ronda.")
    page.check("#id_asesmen_community_satisfied_0")
    submit(page, 'form[action$="/asesmen/"]')
    assert page.locator("#stage").get_attribute("data-stage") == "assessment"
    page.fill("#id_tutup_public_summary", "Kandang dikunci dan ronda berjalan.")
    submit(page, "#tutup")

    assert page.locator("#stage").get_attribute("data-stage") == "closed"
    history = page.locator("#timeline").inner_text()
    assert "WITA" in history and "->" not in history and "bhabin " not in history
    assert not any(c.isdigit() and "-" in word for word in history.split() for c in word[:4]
                   if len(word) == 10 and word[4:5] == "-")  # no ISO dates
    shot(page, "officer-case-closed-360")
    assert fits_the_screen(page)
    (stage,) = demo.query("SELECT stage FROM cases_case WHERE id = ?", case_id)[0]
    assert stage == "closed"
    (status,) = demo.query("SELECT status FROM reports_report WHERE id = ?", report_id)[0]
    assert status == "resolved"

    # A second case from the same report is not offered: the existing one is.
    page.goto(f"/kasus/baru/?report={report_id}")
    assert page.locator(f'#existing-case a[href="/kasus/{case_id}/"]').count() == 1


def test_the_activity_form_uses_the_phones_location_and_shows_the_kinds_fields(page: Page, demo: Demo):  # noqa: F811
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -8.13161, "longitude": 115.36221})
    log_in(page, "bhabin")
    page.goto("/kegiatan/baru/")
    page.select_option("#id_kind", "visit")
    assert page.locator("#id_households").is_visible() and not page.locator("#id_topic").is_visible()
    page.select_option("#id_kind", "outreach")
    assert page.locator("#id_topic").is_visible() and not page.locator("#id_households").is_visible()
    page.click("#use-location")
    expect(page.locator("#id_latitude")).not_to_have_value("", timeout=15000)
    assert page.locator("#id_latitude").input_value() == "-8.13161"
    assert page.locator("#id_longitude").input_value() == "115.36221"
    page.fill("#id_latitude", "-8.13")  # still editable
    shot(page, "officer-activity-360")
    assert fits_the_screen(page)

    page.goto("/akun/notifikasi/")
    shot(page, "officer-notifications-360")
    assert fits_the_screen(page)
    page.check("#id_channels_1")  # SMS without a phone: refused, the field named
    with page.expect_navigation():
        page.click("#settings button[type=submit]")
    assert "SMS" in page.locator("#field-phone").inner_text()
