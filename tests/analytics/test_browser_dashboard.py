"""The dashboards in a real Chromium on a 360-pixel phone, for every demo account that has
one: the header link, the headline figures, the Leaflet map drawn from the app's own assets
(no outside server, no CSP violation), drilling down, and 404 outside scope.

The demo server, browser and page are the fixtures of tests/browser/test_browser_coverage.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from playwright.sync_api import Page  # noqa: E402
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: E402, F401

pytestmark = pytest.mark.browser
_built: list[bool] = []


@pytest.fixture
def rollups(demo: Demo) -> Demo:  # noqa: F811
    """The demo's rollups, built once (the demo command leaves that to rebuild_rollups)."""
    if not _built:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(POLMAS_VAR_DIR=str(demo.database.parent), POLMAS_DEBUG="1")
        uv = shutil.which("uv")
        assert uv
        done = subprocess.run([uv, "run", "polmas", "rebuild_rollups"], env=env,  # noqa: S603
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        _built.append(True)
    return demo


@pytest.mark.parametrize("user, lands_on, children", [
    ("bappenas", "/dashboard/", 38), ("kapolda", "/dashboard/51/", 9),
    ("kapolres", "/dashboard/51.08/", None), ("kapolsek", "/dashboard/51.08.09/", None),
])
def test_each_account_opens_its_dashboard_with_a_map(page: Page, rollups: Demo, user, lands_on, children):  # noqa: F811
    log_in(page, user)
    with page.expect_navigation():
        page.click(".site-nav a[href='/dashboard/']")
    page.wait_for_url(f"**{lands_on}")
    assert page.locator('[data-figure="officers"] .value').inner_text() not in ("", "–")
    code = lands_on.strip("/").split("/")[-1] if lands_on != "/dashboard/" else ""
    expected = children or rollups.query(
        "SELECT count(*) FROM regions_region WHERE parent_id = ?", code)[0][0]
    page.wait_for_selector("#map.leaflet-container")
    assert page.locator("#map path.leaflet-interactive").count() == expected
    assert page.locator("#children tbody tr").count() == expected
    assert page.locator("svg.chart[data-chart='bars'] rect.bar").count() == 36
    assert fits_the_screen(page)


def test_the_kapolres_drills_down_to_a_village(page: Page, rollups: Demo):  # noqa: F811
    log_in(page, "kapolres")
    page.goto("/dashboard/51.08/?sort=-officer_pct")
    with page.expect_navigation():
        page.click('#children tr[data-code="51.08.09"] a')
    page.wait_for_url("**/dashboard/51.08.09/**")
    with page.expect_navigation():
        page.click('#children tr[data-code="51.08.09.2007"] a')
    page.wait_for_url("**/dashboard/51.08.09.2007/**")
    assert "Les" in page.locator("h1").inner_text()


def test_the_bhabinkamtibmas_chooses_a_village_and_outsiders_get_404(page: Page, rollups: Demo):  # noqa: F811
    log_in(page, "bhabin")
    response = page.goto("/dashboard/")
    assert response.status == 200, response.status
    link = page.locator('#areas a[href="/dashboard/51.08.09.2007/"]')
    link.wait_for(timeout=30_000)  # a loaded CI machine: the default 10 s was once not enough
    with page.expect_navigation():
        link.click()
    assert page.locator('[data-figure="villages_with_officer"] .value').inner_text() == "1"
    assert page.goto("/dashboard/51.08.09/").status == 404
    page.context.clear_cookies()
    log_in(page, "kapolda")  # Bali only: Yogyakarta is outside
    assert page.goto("/dashboard/34/").status == 404
    assert page.request.get("/dashboard/51/export/children.csv").status == 200
    assert page.request.get("/dashboard/34/export/children.csv").status == 404
