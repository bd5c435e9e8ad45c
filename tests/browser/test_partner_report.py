"""A business partner reports suspected trafficking on a 360-pixel phone (issue 21): the
report reaches the PPA queue sealed; the partner sees its status, never its content, and the
report itself answers the partner 404. Screenshots go to $POLMAS_SHOTS (if set)."""

import pytest
from playwright.sync_api import Page
from test_browser_coverage import LES, Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401
from test_officer_day import shot
from test_work_queue import routed

from polmas.simulation.partners import BUSINESS_ACCOUNT

pytestmark = pytest.mark.browser
SECRET = "Dua gadis di bawah umur dipekerjakan malam hari di karaoke Jalan Pantai."


def test_a_business_partner_reports_trafficking_sealed_to_ppa(page: Page, demo: Demo):  # noqa: F811
    log_in(page, BUSINESS_ACCOUNT)
    page.goto("/mitra/laporan/")
    assert fits_the_screen(page)
    page.fill("#id_village", LES)
    page.fill("#id_description", SECRET)
    with page.expect_navigation():
        page.click("#partner-report button[type=submit]")
    row = page.locator("#partner-report-status tbody tr").first
    number = int(row.get_attribute("data-number"))
    shot(page, "partner-report-360")
    assert fits_the_screen(page)

    # Sealed, under trafficking, and routed to the PPA unit of its place.
    sensitive, category = demo.query(
        "SELECT r.sensitive, c.code FROM reports_report r JOIN reports_category c ON c.id = r.category_id "
        "WHERE r.id = ?", number)[0]
    assert sensitive == 1 and category == "trafficking"
    # The worker starts beside the server; on a loaded machine it may take a while to begin.
    assert "ppa" in routed(demo, number, seconds=120)

    # The partner sees the status, not what it wrote; the report itself is not theirs to open.
    page.reload()
    status = page.locator(f'#partner-report-status tr[data-number="{number}"]').inner_text()
    assert "Diterima" in status or "diterima" in status.lower()
    assert "karaoke" not in page.content()
    answer = page.goto(f"/kerja/laporan/{number}/")
    assert answer is not None and answer.status == 404

    # The PPA officer finds it in the queue, sealed: no text in the list.
    page.context.clear_cookies()
    log_in(page, "ppa")
    page.goto("/kerja/")
    queue = page.locator("#ppa-report-list")
    assert queue.locator(f'[data-report="{number}"]').count() == 1
    assert "karaoke" not in queue.inner_text()
    shot(page, "partner-report-ppa-queue-360")
