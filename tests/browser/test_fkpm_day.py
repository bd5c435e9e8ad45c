"""The FKPM member's day on a 360-pixel phone (issue 15): a meeting is recorded, an issue raised
there becomes a case in one click, the public page says what is under way, the village's officer
walks the case to its close with a public summary, and the forum's public page shows it: what
residents said, and what was done. Through the pages only, in a real Chromium."""

import datetime as dt
import os

import pytest
from playwright.sync_api import Browser, Page
from test_browser_coverage import PHONE, Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401

pytestmark = pytest.mark.browser

ISSUE = "Lampu jalan ke pantai mati, pemuda mabuk berkumpul di gelap tiap malam."
SUMMARY = "Lampu dipasang kembali bersama desa; patroli malam bergilir dengan pecalang."


def submit(pg: Page, form: str) -> None:
    with pg.expect_navigation():
        pg.click(f"{form} button[type=submit]")


def choose(pg: Page, form: str, name: str, value: str) -> None:
    if pg.locator(f'{form} select[name="{name}"]').count():
        pg.select_option(f'{form} select[name="{name}"]', value)
    else:
        pg.check(f'{form} input[name="{name}"][value="{value}"]')


def open_all(pg: Page) -> None:
    for summary in pg.locator("details:not([open]) > summary").all():
        if summary.is_visible():
            summary.click()


def screenshot(pg: Page, name: str) -> None:
    """Kept for a person to look at when POLMAS_SCREENSHOTS names a directory."""
    if os.environ.get("POLMAS_SCREENSHOTS"):
        pg.screenshot(path=f"{os.environ['POLMAS_SCREENSHOTS']}/fkpm-{name}.png", full_page=True)


def test_meeting_to_case_to_the_public_page(page: Page, browser: Browser, demo: Demo):  # noqa: F811
    (forum_id,) = demo.query("SELECT m.forum_id FROM forums_member m JOIN auth_user u ON u.id = m.user_id "
                             "WHERE u.username = 'fkpm' AND m.active")[0]
    log_in(page, "fkpm")
    page.goto(f"/forum/{forum_id}/rapat/baru/")
    page.fill("#id_date", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.fill("#id_time", "19:30")
    page.fill("#id_agenda", "Keamanan jalan ke pantai")
    page.check('input[name="status"][value="held"]')
    submit(page, "form.meeting-form")
    page.wait_for_url("**/forum/rapat/*/")
    meeting_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    page.locator("#issues details summary").click()
    page.fill("#id_issue-text", ISSUE)
    page.select_option("#id_issue-category_code", "alcohol")
    submit(page, 'form[action*="/masalah/"]')
    (issue_id,) = demo.query("SELECT id FROM forums_meetingissue WHERE meeting_id = ?", meeting_id)[0]
    submit(page, f"#issue-{issue_id} form.make-case")
    page.wait_for_url("**/kasus/*/")
    case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert fits_the_screen(page)

    # The public page already says the matter is being looked into, not "not yet reported".
    page.goto(f"/forum/{forum_id}/kami-bertindak/")
    item = page.locator("li.issue", has_text="Lampu jalan ke pantai mati")
    assert item.locator("p.did").get_attribute("data-stage") == "scanning"
    assert "Belum dilaporkan" not in item.inner_text() and "Not yet reported" not in item.inner_text()
    assert fits_the_screen(page)

    # The village's officer walks the case to its close.
    officer = browser.new_context(viewport=PHONE, locale="id-ID", base_url=demo.url)
    officer.set_default_timeout(10_000)
    pg = officer.new_page()
    log_in(pg, "bhabin")
    pg.goto(f"/kasus/{case_id}/")
    open_all(pg)
    analysis = 'form[action$="/analisis/"]'
    for name, text in {"victim": "Pengguna jalan", "guardian": "Pecalang", "offender": "Pemuda mabuk",
                       "handler": "Orang tua", "place": "Jalan ke pantai", "manager": "Perbekel",
                       "causes": "Lampu mati, tidak ada penjagaan.",
                       "community_input": "Warga minta lampu dan ronda."}.items():
        pg.fill(f'{analysis} [name="{name}"]', text)
    submit(pg, analysis)
    open_all(pg)
    response = 'form[action$="/respons/"]'
    pg.fill(f'{response} [name="plan"]', "Pasang lampu dan ronda malam.")
    pg.fill(f'{response} [name="a0_description"]', "Pasang lampu jalan")
    choose(pg, response, "a0_owner_kind", "village_government")
    pg.fill(f'{response} [name="a0_owner_name"]', "Perbekel")
    pg.fill(f'{response} [name="a0_due"]', (dt.date.today() + dt.timedelta(days=7)).isoformat())
    submit(pg, response)
    open_all(pg)
    assessment = 'form[action$="/asesmen/"]'
    choose(pg, assessment, "outcome", "resolved_action")
    pg.fill(f'{assessment} [name="evidence"]', "Tidak ada lagi kumpul mabuk sejak lampu menyala.")
    choose(pg, assessment, "community_satisfied", "yes")
    submit(pg, assessment)
    pg.fill('#tutup [name="public_summary"]', SUMMARY)
    submit(pg, "#tutup")
    assert demo.query("SELECT stage FROM cases_case WHERE id = ?", case_id) == [("closed",)]
    officer.close()

    # Anyone reads it on the forum's public page, reached from the forum member's list.
    page.goto("/forum/")
    with page.expect_navigation():
        page.click(f'a[href="/forum/{forum_id}/kami-bertindak/"]')
    item = page.locator("li.issue", has_text="Lampu jalan ke pantai mati")
    assert SUMMARY in item.inner_text()
    assert fits_the_screen(page)
    screenshot(page, "public")
    visitor = browser.new_context(viewport=PHONE, locale="id-ID", base_url=demo.url)
    anon = visitor.new_page()
    anon.goto(f"/forum/{forum_id}/kami-bertindak/")
    assert SUMMARY in anon.locator("li.issue", has_text="Lampu jalan ke pantai mati").inner_text()
    visitor.close()
