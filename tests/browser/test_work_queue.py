"""The officer's work queue in a real Chromium on a 360-pixel phone: a resident's report
reaches the bhabin's queue, the bhabin opens a case from it and fills in the analysis and the
response plan; the case page shows each stage and the server stores it.

The demo server and the browser are the fixtures of test_browser_coverage; the report is sent
through the public form (test_report_form's helpers), so the test needs nothing from the demo
but its accounts and villages.
"""

import datetime as dt
import time

import pytest
from playwright.sync_api import Locator, Page
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401
from test_report_form import fill_and_send, read_the_code, stored

pytestmark = pytest.mark.browser

LES = "51.08.09.2007"


def submit(pg: Page, form: str) -> None:
    with pg.expect_navigation():
        pg.click(f"{form} button[type=submit]")


def routed(demo: Demo, report_id: int, seconds: float = 20) -> list[str]:  # noqa: F811
    """Wait for the demo's task worker to route the report (ADR 11): its inbox entries."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        why = [w for (w,) in demo.query("SELECT why FROM reports_recipient WHERE report_id = ?", report_id)]
        if why:
            return sorted(why)
        time.sleep(0.1)
    pytest.fail(f"report {report_id} was not routed within {seconds} s")


def in_the_bhabins_queue(page: Page, demo: Demo, description: str) -> tuple[int, Locator]:  # noqa: F811
    """A resident reports `description` in Les through the public form; once the worker has
    routed it (to the bhabin and the forum), the bhabin opens /kerja/: the report's id and its
    item in the queue."""
    fill_and_send(page, place="Les", description=description)
    report_id = stored(demo, read_the_code(page))["id"]
    # The worker beside the server routes it within a second or so: to the bhabin and the forum.
    assert routed(demo, report_id) == ["forum", "officer"]
    log_in(page, "bhabin")
    page.goto("/kerja/")
    return report_id, page.locator(f'#officer-reports li[data-report="{report_id}"]')


def test_the_officer_turns_a_routed_report_into_a_case_and_plans_the_response(page: Page, demo: Demo):  # noqa: F811
    report_id, item = in_the_bhabins_queue(page, demo, "Tiga ekor sapi hilang dari kandang di banjar kaja.")
    assert fits_the_screen(page)
    assert "Tiga ekor sapi hilang" in item.inner_text()
    with page.expect_navigation():
        item.locator("a.open-case").click()
    assert page.locator("#id_statement").input_value().startswith("Tiga ekor sapi hilang")
    page.fill("#id_title", "Pencurian sapi di banjar kaja")
    submit(page, 'form[action="/kasus/baru/"]')

    page.wait_for_url("**/kasus/*/")
    case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert page.locator("#stage").get_attribute("data-stage") == "scanning"
    assert fits_the_screen(page)
    (source, village, linked) = demo.query(
        "SELECT c.source, c.region_code, r.report_id FROM cases_case c JOIN cases_casereport r "
        "ON r.case_id = c.id WHERE c.id = ?", case_id)[0]
    assert (source, village, linked) == ("report", LES, report_id)

    for name, value in {"victim": "Peternak sapi", "guardian": "Keluarga dan tetangga",
                        "offender": "Pencuri ternak dari luar desa", "handler": "Bhabinkamtibmas",
                        "place": "Kandang di tepi sawah", "manager": "Kelian banjar",
                        "causes": "Kandang jauh dari rumah, tanpa lampu.",
                        "community_input": "Warga mau ronda bergilir."}.items():
        page.fill(f"#id_analisis_{name}", value)
    submit(page, 'form[action$="/analisis/"]')
    assert page.locator("#stage").get_attribute("data-stage") == "analysis"
    assert "Pencuri ternak dari luar desa" in page.locator("#triangle").inner_text()

    due = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    page.fill("#id_respons_plan", "Ronda bergilir dan lampu di kandang.")
    page.fill("#id_respons_a0_description", "Pasang lampu di kandang")
    page.select_option("#id_respons_a0_owner_kind", "village_government")
    page.fill("#id_respons_a0_owner_name", "Perbekel Les")
    page.fill("#id_respons_a0_due", due)
    submit(page, 'form[action$="/respons/"]')

    assert page.locator("#stage").get_attribute("data-stage") == "response"
    assert "Pasang lampu di kandang" in page.locator("#actions").inner_text()
    assert fits_the_screen(page)
    stage, plan = demo.query("SELECT stage, plan FROM cases_case WHERE id = ?", case_id)[0]
    assert "Ronda" not in plan  # encrypted at rest
    assert (stage, demo.decrypt(plan)) == ("response", "Ronda bergilir dan lampu di kandang.")
    assert [(demo.decrypt(owner), on) for owner, on in demo.query(
        "SELECT owner_name, due FROM cases_action WHERE case_id = ?", case_id)] == [("Perbekel Les", due)]

    page.goto("/kerja/")  # the report has left the new ones; the case is in the queue
    assert page.locator(f'#officer-reports li[data-report="{report_id}"]').count() == 0
    assert page.locator(f'#my-cases li[data-case="{case_id}"]').count() == 1
