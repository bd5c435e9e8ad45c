"""A planner evaluates the planted Malioboro programme on a 360-pixel phone (issue 18): chooses
the intervention and the outcome, runs it, reads the plain-language result and the event-study
chart, and downloads the PDF report. Screenshots go to $POLMAS_SHOTS (if set)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401
from test_officer_day import shot

pytestmark = pytest.mark.browser


def test_a_planner_finds_the_planted_fall_in_malioboro(page: Page, demo: Demo):  # noqa: F811
    log_in(page, "bappenas")
    page.goto("/evaluasi/")
    assert fits_the_screen(page)
    page.select_option("#id_intervention", "malioboro-uji")
    page.select_option("#id_outcome", "reports")
    page.select_option("#id_pool", "never")
    # The estimate (with its bootstrap and synthetic control) takes seconds on a loaded machine.
    with page.expect_navigation(timeout=180_000):
        page.click("#evaluate button[type=submit]", timeout=180_000)
    page.wait_for_url("**/evaluasi/hasil/*/")
    run = int(page.url.rstrip("/").rsplit("/", 1)[1])

    # The plain-language reading, in Indonesian: a fall near the planted 30 percent.
    reading = page.locator("#reading").inner_text()
    assert "turun" in reading.lower(), reading
    estimate = float(page.locator("#estimate-pct").inner_text().rstrip("%").replace(",", "."))
    assert -40 <= estimate <= -20, estimate
    # The saved run is the one the page shows.
    saved = demo.query("SELECT outcome, pool, length(data_hash) FROM evaluation_evaluationrun "
                       "WHERE id = ?", run)
    assert saved == [("reports", "never", 64)]

    # The event-study chart: months before the start in grey, after in red, each with a point.
    chart = page.locator("#event-study svg")
    assert chart.count() == 1
    assert chart.locator("circle.pre").count() >= 6
    assert chart.locator("circle.post").count() >= 6
    assert chart.locator("title").text_content()
    # On the phone the chart keeps a readable width and scrolls inside its card.
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 500
    assert page.locator("#fidelity tbody tr").count() >= 2
    assert fits_the_screen(page)
    shot(page, "evaluation-run-360")

    # The report as a PDF, downloaded from the page.
    with page.expect_download() as info:
        page.click("#report-pdf")
    body = Path(info.value.path()).read_bytes()
    assert body.startswith(b"%PDF")

    # Back on the form, the run is listed among the earlier ones.
    page.goto("/evaluasi/")
    assert page.locator(f'#runs a[href="/evaluasi/hasil/{run}/"]').count() == 1
    shot(page, "evaluation-home-360")
