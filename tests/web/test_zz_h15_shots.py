import shutil

import pytest
from playwright.sync_api import sync_playwright

from conftest import person

pytestmark = pytest.mark.django_db(transaction=False)


def test_shots(live_server, settings):
    settings.DEBUG = False
    chromium = shutil.which("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        ctx = b.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
        ctx.add_cookies([{"name": "django_language", "value": "tet", "url": live_server.url}])
        page = ctx.new_page()
        for name, url in (("lapor", "/lapor/"), ("status", "/lapor/status/"), ("statistik", "/statistik/")):
            page.goto(url)
            page.screenshot(path=f"/tmp/h15-{name}.png", full_page=True)
        page.goto("/accounts/login/")
        page.fill("#id_username", "bhabin")
        page.fill("#id_password", "polmas-demo")
        page.click("form.stacked button[type=submit]")
        page.wait_for_load_state()
        for name, url in (("kerja", "/kerja/"), ("kegiatan-baru", "/kegiatan/baru/"), ("lapangan", "/lapangan/")):
            page.goto(url)
            page.wait_for_timeout(500)
            page.screenshot(path=f"/tmp/h15-{name}.png", full_page=True)
        b.close()
