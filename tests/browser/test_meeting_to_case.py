"""A forum member records an issue raised at an FKPM meeting and turns it into a tracked case
in one step, landing on the case; the issue then links to the case, and no second case is
made. In a real Chromium on a 360-pixel phone, through the pages only."""

import datetime as dt

import pytest
from playwright.sync_api import Page
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401

pytestmark = pytest.mark.browser

LES = "51.08.09.2007"


def submit(pg: Page, form: str) -> None:
    with pg.expect_navigation():
        pg.click(f"{form} button[type=submit]")


def test_the_forum_member_turns_a_meeting_issue_into_a_case(page: Page, demo: Demo):  # noqa: F811
    (forum_id,) = demo.query("SELECT m.forum_id FROM forums_member m JOIN auth_user u ON u.id = m.user_id "
                             "WHERE u.username = 'fkpm' AND m.active")[0]
    log_in(page, "fkpm")

    page.goto(f"/forum/{forum_id}/rapat/baru/")
    page.fill("#id_date", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.fill("#id_time", "19:30")
    page.fill("#id_agenda", "Keamanan jalan ke pura")
    page.check('input[name="status"][value="held"]')
    submit(page, "form.meeting-form")
    page.wait_for_url("**/forum/rapat/*/")
    meeting_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    page.locator("#issues details summary").click()
    page.fill("#id_issue-text", "Parkir liar menutup jalan ke pura setiap upacara.")
    page.select_option("#id_issue-category_code", "traffic")
    submit(page, 'form[action*="/masalah/"]')
    (issue_id,) = demo.query("SELECT id FROM forums_meetingissue WHERE meeting_id = ?", meeting_id)[0]

    stale = page.context.new_page()  # the same meeting page open in a second tab
    stale.goto(page.url)
    submit(page, f"#issue-{issue_id} form.make-case")  # one click: the issue becomes a case

    page.wait_for_url("**/kasus/*/")
    case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert page.locator("#stage").get_attribute("data-stage") == "scanning"
    assert "Parkir liar menutup jalan" in page.locator("#statement").inner_text()
    assert fits_the_screen(page)
    assert demo.query("SELECT case_id, outcome_status FROM forums_meetingissue WHERE id = ?", issue_id) == [
        (case_id, "in_progress")]
    assert demo.query("SELECT source, region_code FROM cases_case WHERE id = ?", case_id) == [
        ("meeting", LES)]

    submit(stale, f"#issue-{issue_id} form.make-case")  # a second click makes no second case
    stale.wait_for_url(f"**/kasus/{case_id}/")
    statements = [demo.decrypt(s) for (s,) in demo.query("SELECT statement FROM cases_case "
                                                        "WHERE source = 'meeting'")]
    assert sum(s.startswith("Parkir liar menutup jalan ke pura setiap") for s in statements) == 1

    page.goto(f"/forum/rapat/{meeting_id}/")
    assert page.locator(f'#issue-{issue_id} a[href="/kasus/{case_id}/"]').count() == 1
