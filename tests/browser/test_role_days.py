"""Each role's main task end to end in a real Chromium on a 360-pixel phone (issue 15):
- supervisor: finds an escalated case in the queue (filtered), reassigns it to another
  officer of the Polsek, and the queue and the case history show it;
- PPA officer: opens a sensitive case from their queue and refers it to the UPTD PPA; the
  queue then says the referral awaits an answer;
- planner: drills down from the national dashboard through the map (a tap names the place,
  with its figure and a link) and the table to a regency.

The demo server and the browser are the fixtures of test_browser_coverage.
"""

import pytest
from playwright.sync_api import Page
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401

pytestmark = pytest.mark.browser


def submit(pg: Page, selector: str) -> None:
    with pg.expect_navigation():
        pg.click(selector)


def test_the_supervisor_reassigns_an_escalated_case(page: Page, demo: Demo):  # noqa: F811
    log_in(page, "kapolres")
    page.goto("/kerja/")
    assert fits_the_screen(page)
    # Kapolres' queue is paged: a page of cases, however many there are.
    assert page.locator("#escalated-list li").count() <= 10
    page.select_option("#f-sensitive", "no")
    submit(page, "#queue-filters button[type=submit]")
    assert "sensitive=no" in page.url
    heading = page.locator("#escalated-cases h2 .count").inner_text()
    assert int(heading.replace(".", "")) > 0
    row = page.locator("#escalated-list li").first
    case_id = int(row.get_attribute("data-case"))
    # Listed once: not also among the overdue cases.
    assert page.locator(f'#overdue-list li[data-case="{case_id}"]').count() == 0
    (before,) = demo.query("SELECT assigned_officer_id FROM cases_case WHERE id = ?", case_id)[0]
    submit(page, f'#escalated-list li[data-case="{case_id}"] a.act')

    assert page.url.endswith(f"/kasus/{case_id}/awasi/")
    assert fits_the_screen(page)
    options = page.locator("#id_reassign_officer option")
    assert options.count() > 1
    choice = options.nth(1).get_attribute("value")
    page.select_option("#id_reassign_officer", choice)
    page.fill("#id_reassign_note", "Mohon segera ditindaklanjuti.")
    submit(page, "#reassign button[type=submit]")

    (after,) = demo.query("SELECT assigned_officer_id FROM cases_case WHERE id = ?", case_id)[0]
    assert after == int(choice) and after != before
    kinds = [k for (k,) in demo.query("SELECT kind FROM cases_timelineentry WHERE case_id = ?", case_id)]
    assert "reassigned" in kinds
    assert page.locator("#supervision-history li").count() >= 1
    audit = demo.query("SELECT count(*) FROM access_auditentry WHERE action = 'case.reassigned' "
                       "AND object_id = ?", str(case_id))[0][0]
    assert audit == 1
    page.goto("/kerja/")
    assert page.locator(f'#escalated-list li[data-case="{case_id}"]').count() == 0


def test_the_ppa_officer_refers_a_sensitive_case(page: Page, demo: Demo):  # noqa: F811
    log_in(page, "ppa")
    page.goto("/kerja/")
    assert fits_the_screen(page)
    rows = page.locator("#ppa-case-list li")
    assert rows.count() > 0
    row = rows.first
    case_id = int(row.get_attribute("data-case"))
    assert demo.query("SELECT sensitive FROM cases_case WHERE id = ?", case_id)[0][0] == 1
    assert "risk" in row.inner_text().lower() or "risiko" in row.inner_text().lower()
    submit(page, f'#ppa-case-list li[data-case="{case_id}"] a')

    assert page.url.endswith(f"/kasus/{case_id}/")
    assert fits_the_screen(page)
    page.select_option("#id_rujukan_to", "uptd_ppa")
    page.fill("#id_rujukan_note", "Pendampingan psikologis untuk korban.")
    submit(page, 'form[action$="/rujukan/"] button[type=submit]')

    referrals = demo.query("SELECT \"to\", status FROM cases_referral WHERE case_id = ?", case_id)
    assert ("uptd_ppa", "sent") in referrals
    page.goto("/kerja/")
    listed = page.locator(f'#ppa-case-list li[data-case="{case_id}"]').inner_text()
    assert "rujukan menunggu jawaban" in listed or "referral awaiting an answer" in listed


def test_the_planner_drills_down_from_the_map(page: Page, demo: Demo):  # noqa: F811
    log_in(page, "bappenas")
    page.goto("/dashboard/")
    page.wait_for_selector(".leaflet-container")
    assert fits_the_screen(page)
    # Places are named on the map, in Indonesian number format in the legend.
    assert page.locator(".leaflet-tooltip.map-label").count() > 0
    legend = page.locator("#map-section .legend").inner_text()
    assert "," in legend
    marker = page.locator("path.leaflet-interactive").first
    marker.click(force=True)
    popup = page.locator(".leaflet-popup-content .map-popup")
    popup.wait_for()
    code = popup.get_attribute("data-code")
    assert popup.locator("strong").inner_text().strip()
    # The popup's link drills in. Followed by its address: under CI's load the map may redraw
    # and close the popup between reading it and a click.
    href = popup.locator("a").get_attribute("href")
    assert href.rstrip("/").endswith(f"/dashboard/{code}")
    page.goto(href, timeout=60_000)
    assert page.url.rstrip("/").endswith(f"/dashboard/{code}")
    assert fits_the_screen(page)
    # On to a regency through the table.
    link = page.locator("#children tbody th a").first
    regency = link.inner_text().strip()
    with page.expect_navigation(timeout=60_000):
        link.click()
    assert regency in page.locator("h1").inner_text()
    assert fits_the_screen(page)
