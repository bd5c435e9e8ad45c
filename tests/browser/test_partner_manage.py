"""A Polsek supervisor manages partners on a 360-pixel phone (issue 21): registers an
organisation, starts a programme for it, counts an officer's activity in it, lists a service;
then the organisation's page shows the programme with its count. Screenshots go to
$POLMAS_SHOTS (if set), at 360 and 1366 pixels."""

import datetime as dt

import pytest
from playwright.sync_api import Page
from test_browser_coverage import LES, Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401
from test_officer_day import shot

pytestmark = pytest.mark.browser


def test_a_supervisor_registers_a_partner_and_its_programme(page: Page, demo: Demo):  # noqa: F811
    log_in(page, "kapolsek")
    page.goto("/mitra/")
    with page.expect_navigation():
        page.click('a[href="/mitra/baru/"]')
    assert fits_the_screen(page)
    page.fill("#id_name", "Sekaa Teruna Desa Les")
    page.select_option("#id_kind", "religious")
    page.fill("#id_places", "51.08.09.9999")  # no such village: refused, naming the field
    with page.expect_navigation():
        page.click("form.partner-form button[type=submit]")
    assert "51.08.09.9999" in page.locator("#form-errors").inner_text()
    shot(page, "partner-new-error-360")
    assert fits_the_screen(page)
    page.fill("#id_places", LES)
    page.fill("#id_contact_name", "Kadek Ketua")
    with page.expect_navigation():
        page.click("form.partner-form button[type=submit]")
    assert page.locator("h1").inner_text() == "Sekaa Teruna Desa Les"
    assert "Kadek Ketua" not in page.content()  # contact people are never on the page

    with page.expect_navigation():
        page.click('a[href$="/program/baru/"]')
    today = dt.date.today()
    page.fill("#id_name", "Pemuda jaga desa")
    page.fill("#id_objectives", "Ronda bergilir bersama pecalang.")
    page.fill("#id_places", LES)
    page.fill("#id_starts_on", (today - dt.timedelta(days=60)).isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=300)).isoformat())
    shot(page, "programme-new-360")
    assert fits_the_screen(page)
    with page.expect_navigation():
        page.click("form.partner-form button[type=submit]")
    assert page.locator("h1").inner_text() == "Pemuda jaga desa"

    # One dated within the programme's period (links are checked against it, h32).
    activity = demo.query("SELECT id FROM activities_activity WHERE region_code = ? AND kind != 'detection' "
                          "AND occurred_at >= ? AND occurred_at < ? ORDER BY id LIMIT 1", LES,
                          (today - dt.timedelta(days=50)).isoformat(), today.isoformat())[0][0]
    page.select_option("#link-form select[name=kind]", "activity")
    page.fill("#link-form input[name=object_id]", str(activity))
    with page.expect_navigation():
        page.click("#link-form button[type=submit]")
    assert page.locator("#linked tbody tr").count() == 1
    assert str(activity) in page.locator("#linked").inner_text()
    shot(page, "programme-links-360")
    assert fits_the_screen(page)

    with page.expect_navigation():
        page.click(".partners p.muted a")  # back to the organisation
    programmes = page.locator("#org-programmes").inner_text()
    assert "Pemuda jaga desa" in programmes and "Kegiatan: 1" in programmes
    shot(page, "partner-profile-360")
    assert fits_the_screen(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    shot(page, "partner-profile-1366")
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto("/mitra/layanan/baru/")
    page.fill("#id_name", "LBH Desa Les")
    page.select_option("#id_kind", "legal_aid")
    page.fill("#id_region", "51.08.09")
    page.fill("#id_hours", "Senin-Jumat 09.00-15.00")
    shot(page, "service-new-360")
    assert fits_the_screen(page)
    with page.expect_navigation():
        page.click("form.partner-form button[type=submit]")
    page.goto("/mitra/layanan/?wilayah=" + LES)
    assert "LBH Desa Les" in page.locator("#services").inner_text()
    shot(page, "services-360")
