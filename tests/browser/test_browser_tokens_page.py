"""The user's API tokens in a real Chromium on a 360-pixel phone: a token issued to the field
app shows on /akun/token/, fits the screen, and the Revoke button ends it for the API.

The demo server and the browser are the fixtures of test_browser_coverage.
"""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page
from test_browser_coverage import Demo, browser, demo, fits_the_screen, log_in, page  # noqa: F401

from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.browser


def call(demo: Demo, path: str, body: dict | None = None, token: str = "") -> tuple[int, dict]:  # noqa: F811
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(demo.url + path, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_the_officer_sees_and_revokes_the_field_apps_token(page: Page, demo: Demo):  # noqa: F811
    status, issued = call(demo, "/api/v1/auth/token",
                          {"username": "ppa", "password": PASSWORD, "name": "HP dinas PPA"})
    assert status == 200
    assert call(demo, "/api/v1/me", token=issued["token"])[0] == 200

    log_in(page, "ppa")
    page.click('a[href="/akun/token/"]')
    page.wait_for_url("**/akun/token/")
    card = page.locator("section.card", has_text="HP dinas PPA")
    assert issued["token"][:10] in card.inner_text()
    assert fits_the_screen(page)

    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    assert page.locator("section.card", has_text="HP dinas PPA").count() == 0
    assert fits_the_screen(page)
    assert call(demo, "/api/v1/me", token=issued["token"])[0] == 401
    assert call(demo, "/api/v1/auth/refresh", {"refresh_token": issued["refresh_token"]})[0] == 401
