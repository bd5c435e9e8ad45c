"""The 'new' badge and "Mark all as seen" on the officer's work queue, in a real Chromium on a
360-pixel phone: a resident's report reaches the bhabin's queue as new; the button marks it seen
for the bhabin only (the forum's entry stays unseen)."""

import os

import pytest
from playwright.sync_api import Page
from test_browser_coverage import Demo, browser, demo, fits_the_screen, page  # noqa: F401
from test_work_queue import in_the_bhabins_queue, submit

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("POLMAS_SHOTS")  # a folder: screenshots are kept there


def test_the_officer_sees_a_new_report_and_marks_all_as_seen(page: Page, demo: Demo):  # noqa: F811
    report_id, item = in_the_bhabins_queue(page, demo,
                                           "Dua ekor kambing hilang dari kandang di banjar kelod.")
    assert item.locator(".tag.new").inner_text().strip() == "baru"
    assert fits_the_screen(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/queue-new-360.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=f"{SHOTS}/queue-new-1366.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
    submit(page, "form.inbox-seen")
    assert page.url.endswith("/kerja/")
    assert item.locator(".tag.new").count() == 0
    assert page.locator("form.inbox-seen").count() == 0
    rows = dict(demo.query("SELECT why, seen_at IS NOT NULL FROM reports_recipient WHERE report_id = ?",
                           report_id))
    assert rows == {"officer": 1, "forum": 0}
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/queue-seen-360.png", full_page=True)
