"""A resident answers the survey through a one-time link on a 360-pixel phone without
JavaScript; `polmas demo` (the fixture's server) ran a survey wave in Bali and Yogyakarta."""

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from test_browser_coverage import PHONE, Demo, browser, demo, fits_the_screen  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_without_js(browser: Browser, demo: Demo) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="id-ID", base_url=demo.url,
                                  java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _link(demo: Demo) -> str:  # noqa: F811
    sample, village = demo.query("SELECT sample_id, village_code FROM surveys_samplevillage "
                                 "ORDER BY village_code LIMIT 1")[0]
    uv = shutil.which("uv")
    assert uv
    env = os.environ | {"POLMAS_VAR_DIR": str(demo.database.parent)}
    env.pop("DATABASE_URL", None)
    command = [uv, "run", "polmas", "survey_links", "--sample", str(sample), "--village", village,
               "--base-url", demo.url]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return out.stdout.strip()


def test_the_demo_ran_a_wave_in_its_provinces(demo):  # noqa: F811
    provinces = {r[0] for r in demo.query("SELECT DISTINCT substr(code, 1, 2) FROM surveys_estimate "
                                          "WHERE level = 2")}
    assert provinces == {"51", "34"}
    assert demo.query("SELECT count(*) FROM surveys_response")[0][0] > 5000


def test_a_resident_answers_once_without_javascript(phone_without_js: Page, demo):  # noqa: F811
    link = _link(demo)
    page = phone_without_js
    page.goto(link)
    assert fits_the_screen(page)
    answers = {"consent": "yes", "feel_safe": "4", "fear_home": "0", "trust_police": "8",
               "police_respect": "3", "police_fair": "3", "police_values": "2", "victim_12m": "no",
               "know_bhabin": "yes", "met_bhabin": "yes", "know_fkpm": "yes"}
    for name, value in answers.items():
        page.check(f'input[name="{name}"][value="{value}"]')
    page.fill('input[name="age"]', "150")
    page.click(".survey-form button[type=submit]")
    assert "120" in page.locator("#q-age .error").inner_text()  # refused, said why, kept the answers
    assert page.is_checked('input[name="feel_safe"][value="4"]')
    page.fill('input[name="age"]', "52")
    page.click(".survey-form button[type=submit]")
    page.locator("#thanks").wait_for()  # (the words are Indonesian once translated)
    stored = demo.query("SELECT channel, consent, answers FROM surveys_response WHERE channel = 'web'")
    assert len(stored) == 1 and stored[0][1] == 1 and '"age": "52"' in stored[0][2]
    answer = page.goto(link)
    assert answer is not None and answer.status == 404 and page.locator("#link-gone").is_visible()
