"""A Polres supervisor keeps a partner's contact people up to date on a 360-pixel phone (h32):
adds one, is refused a bad e-mail (the field named), corrects it, removes one; then picks a
record to count in a programme from the list (no record number typed). Screenshots go to
$POLMAS_SHOTS (if set)."""

import pytest
from playwright.sync_api import Page
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401
from test_officer_day import shot

pytestmark = pytest.mark.browser


def test_a_supervisor_edits_contact_people_and_picks_a_record(page: Page, demo: Demo):  # noqa: F811
    org = demo.query("SELECT id FROM partners_organisation WHERE name = ?",
                     "Asosiasi Pengusaha Hiburan Buleleng")[0][0]
    log_in(page, "kapolres")
    page.goto(f"/mitra/{org}/")
    with page.expect_navigation():
        page.click(f'a[href="/mitra/{org}/kontak/"]')
    assert page.locator("#no-contacts").count() == 1
    page.fill("#id_new-name", "Komang Ayu")
    page.fill("#id_new-position", "ketua asosiasi")
    page.fill("#id_new-phone", "+62 812 3456 789")
    page.fill("#id_new-email", "komang@")
    with page.expect_navigation():
        page.click("#contact-new button[type=submit]")
    errors = page.locator("#new-errors").inner_text()
    assert "Surel" in errors  # the field (E-mail) named, in Indonesian: the page's language
    shot(page, "contacts-error-360")
    assert fits_the_screen(page)
    page.fill("#id_new-email", "komang@example.id")
    with page.expect_navigation():
        page.click("#contact-new button[type=submit]")
    card = page.locator("section.contact")
    assert card.count() == 1 and "Komang Ayu" in card.inner_text()
    contact = card.get_attribute("id").removeprefix("contact-")
    page.fill(f"#id_c{contact}-position", "bendahara")
    with page.expect_navigation():
        card.locator("form.contact-edit button[type=submit]").click()
    assert page.input_value(f"#id_c{contact}-position") == "bendahara"
    shot(page, "contacts-360")
    assert fits_the_screen(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    shot(page, "contacts-1366")
    page.set_viewport_size({"width": 360, "height": 740})
    with page.expect_navigation():
        page.click("form.contact-remove button[type=submit]")
    assert page.locator("section.contact").count() == 0
    assert demo.query("SELECT count(*) FROM partners_contact WHERE organisation_id = ?", org)[0][0] == 0

    # The programme's picker: choose an activity in its places and period, and link it.
    programme = demo.query("SELECT id FROM partners_programme WHERE organisation_id = ?", org)[0][0]
    page.goto(f"/mitra/program/{programme}/")
    page.select_option("#id_pilih", "activity")
    with page.expect_navigation():
        page.click("#pick-form button[type=submit]")
    choices = page.locator("#pick-link input[name=object_id]")
    assert choices.count() >= 1
    chosen = choices.first.get_attribute("value")
    shot(page, "programme-picker-360")
    assert fits_the_screen(page)
    with page.expect_navigation():
        page.click("#pick-link button[type=submit]")
    assert chosen in page.locator("#linked").inner_text()
