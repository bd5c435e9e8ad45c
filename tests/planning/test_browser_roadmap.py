"""The road map in a real Chromium (issue 20): the region page's forms fit a 360-pixel phone
(the indicator list was wider than the screen), and the dashboards carry the road map's
progress card, as a table and a map, for its readers only.

Set POLMAS_SCREENSHOTS=<dir> to keep screenshots at 360 and 1366 pixels."""

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analytics"))
from playwright.sync_api import Page  # noqa: E402
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: E402, F401
from test_browser_dashboard import rollups  # noqa: E402, F401

pytestmark = pytest.mark.browser
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def quiet(rollups: Demo) -> Demo:  # noqa: F811
    """The demo after its task worker has worked off the demo's queue (some 600 notifications):
    on a busy machine a login during that backlog can wait past SQLite's lock timeout. Tasks
    waiting, not running: the daily early-warning run can run for minutes, and waiting for it
    too cost each test up to 5 minutes."""
    deadline = time.monotonic() + 120
    while rollups.query("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                        "WHERE status = 'READY'")[0][0] and time.monotonic() < deadline:
        time.sleep(1)
    return rollups


def screenshot(pg: Page, name: str) -> None:
    if os.environ.get("POLMAS_SCREENSHOTS"):
        pg.screenshot(path=f"{os.environ['POLMAS_SCREENSHOTS']}/roadmap-{name}.png", full_page=True)


def right_edge(pg: Page, selector: str) -> float:
    box = pg.locator(selector).bounding_box()
    assert box is not None
    return box["x"] + box["width"]


def test_the_road_map_page_fits_a_phone_and_its_target_shows_on_the_dashboard(page: Page, quiet: Demo):  # noqa: F811
    log_in(page, "kapolda")
    page.goto("/rencana/wilayah/51/")
    # The indicator's list stays inside the 360-pixel screen (it ran 60 pixels past it).
    assert right_edge(page, "#target-form select[name=indicator]") <= 360
    assert fits_the_screen(page)
    page.select_option("#target-form select[name=indicator]", "officer_coverage")
    page.fill("#target-form input[name=year]", "2030")
    page.fill("#target-form input[name=value]", "90")
    with page.expect_navigation():
        page.click("#target-form button[type=submit]")
    assert page.locator("#progress tbody tr").first.locator("td").nth(1).inner_text().startswith("90")
    screenshot(page, "region-360")
    page.set_viewport_size(WIDE)
    screenshot(page, "region-1366")
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto("/dashboard/51/")
    card = page.locator("#board-roadmap")
    assert card.is_visible()
    assert card.locator("tbody tr").count() == 9
    assert card.locator("th").nth(1).inner_text().strip() != ""
    assert card.locator("svg circle").count() == 9
    assert card.locator("a[href='/rencana/wilayah/51/?year=2030#status-rule']").count() == 1
    assert fits_the_screen(page)
    card.scroll_into_view_if_needed()
    screenshot(page, "board-360")
    page.set_viewport_size(WIDE)
    screenshot(page, "board-1366")


def test_a_ppa_officer_sees_the_board_without_the_card(page: Page, quiet: Demo):  # noqa: F811
    log_in(page, "ppa")
    page.goto("/dashboard/51.08/")
    assert page.locator('[data-figure="officers"]').count() == 1
    assert page.locator("#board-roadmap").count() == 0
