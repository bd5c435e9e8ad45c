"""The survey's map on a 360-pixel phone and a desktop: `polmas demo` (the fixture's server)
ran a wave in Bali and Yogyakarta. The points fit the screen, each says its interval, the
legend and the table are there; screenshots go to POLMAS_SCREENSHOTS when set."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from test_browser_coverage import PHONE, Demo, browser, demo, fits_the_screen  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 900}], ids=["phone", "desktop"])
def test_the_survey_map_reads_on_a_phone_and_a_desktop(browser: Browser, demo: Demo, viewport,  # noqa: F811
                                                       tmp_path: Path):
    context = browser.new_context(viewport=viewport, locale="en-GB", base_url=demo.url,
                                  extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    try:
        page.goto("/statistik/survei/")
        page.click("#survey-map-link")
        page.select_option('select[name="wilayah"]', "51")
        page.click("form.filters button[type=submit]")
        assert page.locator("#survey-map").get_attribute("data-level") == "2"
        circles = page.locator("#survey-map svg circle")
        assert circles.count() == page.locator("#survey-map-table tbody tr").count() >= 9
        assert "interval 95%" in circles.first.locator("title").text_content()
        assert page.locator("#survey-legend li").count() >= 2
        assert fits_the_screen(page)
        box = page.locator("#survey-map svg.chart").bounding_box()
        assert box and box["width"] <= viewport["width"]
        out = Path(os.environ.get("POLMAS_SCREENSHOTS", tmp_path))
        page.screenshot(path=str(out / f"survey-map-{viewport['width']}.png"), full_page=True)
    finally:
        context.close()
