"""The field app in a real Chromium on a 360-pixel phone, with the network cut for the page AND
its service worker (Playwright's set_offline leaves the worker online: routes that abort, with
PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS=1, cut both). Records made offline survive a
reload and a killed browser (a persistent profile reused), and reach the server exactly once;
a new service worker leaves the queue alone; a server answering 500 is retried; a 409 is shown
and can be fixed; logging out refuses while records wait.

The demo server is the fixture of tests/browser/test_browser_coverage.py.
"""

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"  # before Playwright's driver starts

from playwright.sync_api import BrowserContext, Page, Route, sync_playwright  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from test_browser_coverage import (  # noqa: E402
    CHROMIUM_ARGS,
    PHONE,
    Demo,
    _free_port,
    _wait_until_up,
    demo,  # noqa: F401
)
from test_browser_tokens_page import call  # noqa: E402

from polmas.simulation.accounts import PASSWORD  # noqa: E402

pytestmark = pytest.mark.browser


def until(page: Page, expression: str, seconds: float = 15) -> None:
    """Wait until the expression is true (page.evaluate: the app's CSP forbids the eval that
    wait_for_function needs)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds}s: {expression}")
        page.wait_for_timeout(200)


class Phone:
    """A phone: one browser profile on disk, which survives the browser being killed."""

    def __init__(self, playwright, demo: Demo, profile: Path) -> None:  # noqa: F811
        self.pw, self.demo, self.profile = playwright, demo, profile
        self.offline = False
        self.fail_sync = 0  # answer the next N POST /api/v1/sync with 500
        self.sw_body: str | None = None  # serve this service worker instead of the server's
        self.context: BrowserContext | None = None
        self.page: Page | None = None

    def _route(self, route: Route) -> None:
        url = route.request.url
        if self.offline:
            route.abort("internetdisconnected")
        elif self.sw_body is not None and url.endswith("/sw.js"):
            route.fulfill(status=200, body=self.sw_body, headers={
                "Content-Type": "text/javascript", "Cache-Control": "no-cache"})
        elif self.fail_sync and url.endswith("/api/v1/sync") and route.request.method == "POST":
            self.fail_sync -= 1
            route.fulfill(status=500, json={"detail": "Internal error; it has been logged.", "errors": []})
        else:
            route.continue_()

    def open(self) -> Page:
        self.context = self.pw.chromium.launch_persistent_context(
            str(self.profile), executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS,
            viewport=PHONE, base_url=self.demo.url, service_workers="allow",
            geolocation={"latitude": -8.06, "longitude": 115.28}, permissions=["geolocation"])
        self.context.set_default_timeout(15_000)
        self.context.route("**/*", self._route)
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if "Content Security Policy" in m.text else None)
        self.page.goto("/lapangan/")
        return self.page

    def kill(self) -> None:
        self.context.close()

    def log_in(self, username: str = "bhabin") -> None:
        page = self.page
        page.wait_for_selector("input[name=username]")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_selector("#logout")
        # Once the service worker controls the page, the app opens offline.
        until(page, "navigator.serviceWorker.controller !== null")

    def activity(self, issues: str, photo: bytes | None = None) -> None:
        page = self.page
        page.goto("/lapangan/#activity")
        page.wait_for_selector("select[name=kind]")
        page.fill("input[name=households]", "3")
        page.fill("textarea[name=issues_heard]", issues)
        page.click("form button.secondary")  # the phone's location
        until(page, "document.querySelector('input[name=latitude]').value !== ''")
        if photo is not None:
            page.set_input_files("input[name=photo]", files=[{"name": "p.jpg", "mimeType": "image/jpeg",
                                                              "buffer": photo}])
            page.wait_for_selector("img.preview")
        page.click("form button[type=submit]")
        page.wait_for_selector(".card[data-state]")

    def states(self) -> list[str]:
        return self.page.eval_on_selector_all(".card[data-state]", "els => els.map(e => e.dataset.state)")

    def badge(self) -> int:
        return int(self.page.inner_text("#badge"))

    def send_now(self) -> None:
        self.page.goto("/lapangan/#outbox")
        self.page.click("#send-now")

    def wait_states(self, wanted: set[str], seconds: float = 30) -> list[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.page.goto("/lapangan/#outbox")
            self.page.wait_for_selector("#send-now")
            states = self.states()
            if states and set(states) <= wanted:
                return states
            self.page.wait_for_timeout(500)
        reasons = self.page.eval_on_selector_all(".reason", "els => els.map(e => e.textContent)")
        raise AssertionError(f"states are {self.states()}, not {wanted}: {reasons}")

    def queued(self) -> list[dict]:
        # After a reload the page's markup (#badge) can be there before the app's script has run.
        until(self.page, "window.polmasField !== undefined && window.polmasField.ready === true")
        return self.page.evaluate("window.polmasField.mine()")


@pytest.fixture
def phone(demo: Demo, tmp_path: Path) -> Iterator[Phone]:  # noqa: F811
    with sync_playwright() as pw:
        p = Phone(pw, demo, tmp_path / "profile")
        yield p
        if p.context is not None:
            with contextlib.suppress(Exception):  # already closed by the test
                p.context.close()


def _photo() -> bytes:
    """A large noisy photo: the phone must shrink it to 200 KB or less."""
    from PIL import Image

    img = Image.effect_noise((2400, 1800), 80).convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


def _count(demo: Demo, key: str) -> int:  # noqa: F811
    return demo.query("SELECT count(*) FROM activities_activity WHERE client_uuid = ?",
                      key.replace("-", ""))[0][0]


def test_a_day_offline_survives_reload_and_a_killed_browser_then_syncs_exactly_once(phone: Phone):
    page = phone.open()
    phone.log_in()
    phone.offline = True
    phone.activity("Sapi hilang", photo=_photo())
    phone.activity("Jalan rusak")
    assert phone.badge() == 2 and phone.states() == ["waiting", "waiting"]
    page.reload()  # offline: the app comes from the service worker's cache
    page.wait_for_selector("#badge")
    page.goto("/lapangan/#outbox")
    page.wait_for_selector("#send-now")
    assert phone.states() == ["waiting", "waiting"]
    assert page.screenshot(path=str(phone.profile.parent / "outbox-offline.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    keys = [i["uuid"] for i in phone.queued()]
    photo = next(i for i in phone.queued() if i["photos"])["photos"][0]
    assert 0 < photo["size"] <= 200 * 1024
    phone.kill()

    page = phone.open()  # the same profile, still offline
    page.wait_for_selector("#badge")
    assert phone.badge() == 2
    phone.offline = False
    phone.send_now()
    assert phone.wait_states({"sent"}) == ["sent", "sent"]
    assert [_count(phone.demo, k) for k in keys] == [1, 1]
    stored = phone.demo.query("SELECT size, complete, record FROM field_upload WHERE uuid = ?",
                              photo["uuid"].replace("-", ""))
    assert stored and stored[0][0] == photo["size"] and stored[0][1] == 1
    # The photo became the activity's own (cleaned), served by /kegiatan/<id>/foto/.
    attached = phone.demo.query("SELECT photo FROM activities_activity WHERE client_uuid = ?",
                                str(stored[0][2]).replace("-", ""))
    assert attached and attached[0][0].startswith("activities/") and attached[0][0].endswith(".jpg")
    # Sending again (a phone that never heard the answer) stores nothing new.
    status, answer = _resend(phone, keys)
    assert status == 200 and {r["status"] for r in answer["results"]} == {"exists"}
    assert [_count(phone.demo, k) for k in keys] == [1, 1]
    assert phone.errors == []


def _resend(phone: Phone, keys: list[str]) -> tuple[int, dict]:
    _s, token = call(phone.demo, "/api/v1/auth/token", {"username": "bhabin", "password": PASSWORD})
    items = [i for i in phone.queued() if i["uuid"] in keys]
    records = [{"uuid": i["uuid"], "kind": i["kind"], "hash": i["hash"], "body": i["body"]} for i in items]
    return call(phone.demo, "/api/v1/sync", {"records": records}, token=token["token"])


@contextlib.contextmanager
def release(demo: Demo, port: int, name: str) -> Iterator[Demo]:  # noqa: F811
    """The demo's database served by a server of its own with POLMAS_FIELD_RELEASE=name (a
    new release: the service worker's version changes). Without the system checks: one of
    them asks SQLite for JSON support, and reads "no" when the demo's worker holds the write
    lock at that moment (CI saw it); the checks run in CI on their own."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(POLMAS_DEBUG="1", POLMAS_VAR_DIR=str(demo.database.parent), POLMAS_FIELD_RELEASE=name)
    log = demo.database.parent / f"release-{name}.log"
    with log.open("w") as out:
        server = subprocess.Popen([shutil.which("uv"), "run", "polmas", "runserver", f"127.0.0.1:{port}",  # noqa: S603
                                   "--noreload", "--skip-checks"], env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, log)
        yield Demo(url, demo.database)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_a_new_service_worker_keeps_the_queue(demo: Demo, tmp_path: Path):  # noqa: F811
    port = _free_port()
    with sync_playwright() as pw:
        with release(demo, port, "one") as first:
            phone = Phone(pw, first, tmp_path / "profile")
            page = phone.open()
            phone.log_in()
            phone.fail_sync = 10_000  # the queue stays waiting while the worker is replaced
            phone.activity("Sebelum pembaruan")
            before = page.evaluate("caches.keys()")
            assert len(before) == 1
        with release(demo, port, "two"):  # the same address: a new release was deployed
            page.reload()
            page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
            until(page, f"caches.keys().then(k => k.length === 1 && k[0] !== {before[0]!r})", 30)
            page.reload()
            page.goto("/lapangan/#outbox")
            page.wait_for_selector(".card[data-state]")
            # The app tries to send on start (refused here): the record may be caught "sending".
            assert phone.wait_states({"waiting"}) == ["waiting"] and phone.badge() == 1
            key = phone.queued()[0]["uuid"]
            phone.fail_sync = 0
            phone.send_now()
            assert phone.wait_states({"sent"}) == ["sent"]
            assert _count(demo, key) == 1
            phone.kill()


def test_a_500_is_retried_and_a_409_is_shown_and_fixed(phone: Phone):
    page = phone.open()
    phone.log_in()
    phone.fail_sync = 1
    phone.activity("Server sedang gangguan")
    phone.page.goto("/lapangan/#outbox")
    page.wait_for_selector(".card[data-state] .reason")
    assert phone.states() == ["waiting"]
    phone.send_now()
    assert phone.wait_states({"sent"}) == ["sent"]

    # A record whose UUID the server already holds with other content: 409, shown, fixable.
    phone.offline = True
    phone.activity("Isi dari HP")
    # The app tries to send at once (offline here): the record may be caught "sending".
    until(page, "window.polmasField.mine().then(a => a.some(i => i.state === 'waiting'"
                " && i.body.issues_heard === 'Isi dari HP'))")
    key = next(i for i in phone.queued() if i["body"]["issues_heard"] == "Isi dari HP")["uuid"]
    phone.offline = False
    _s, token = call(phone.demo, "/api/v1/auth/token", {"username": "bhabin", "password": PASSWORD})
    status, _a = call(phone.demo, "/api/v1/activities", {
        "client_uuid": key, "kind": "visit", "village": "51.08.09.2007", "households": 9,
        "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "issues_heard": "Isi lain"}, token=token["token"])
    assert status == 201
    phone.send_now()
    states = phone.wait_states({"sent", "failed"})
    assert states == ["failed", "sent"]
    failed = page.locator('.card[data-state="failed"]')
    assert "UUID" in failed.locator(".reason").inner_text()  # the service's reason, in Indonesian
    failed.locator("button.fix").click()
    page.wait_for_selector("select[name=kind]")
    page.click("form button[type=submit]")
    assert phone.wait_states({"sent"}) == ["sent", "sent"]
    fixed = [i for i in phone.queued() if i["uuid"] != key and "Isi dari HP" in i["body"]["issues_heard"]]
    assert len(fixed) == 1 and _count(phone.demo, fixed[0]["uuid"]) == 1
    assert _count(phone.demo, key) == 1  # the one sent directly, untouched


def test_logout_refuses_while_records_wait_then_clears_the_users_data(phone: Phone):
    page = phone.open()
    phone.log_in()
    phone.offline = True
    phone.activity("Menunggu sinyal")
    page.goto("/lapangan/#home")
    page.click("#logout")
    page.wait_for_selector("p.msg.err")
    assert page.locator("input[name=username]").count() == 0
    assert len(phone.queued()) == 1
    phone.offline = False
    page.click("#send-now")
    assert phone.wait_states({"sent"}) == ["sent"]
    page.goto("/lapangan/#home")
    page.click("#logout")
    page.wait_for_selector("input[name=username]")
    left = page.evaluate("""new Promise(ok => { const r = indexedDB.open('polmas-field');
        r.onsuccess = () => { const x = r.result.transaction(['outbox', 'kv'], 'readonly');
          const a = x.objectStore('outbox').count(); const b = x.objectStore('kv').getAllKeys();
          x.oncomplete = () => ok([a.result, b.result]); }; })""")
    assert left[0] == 0 and not any(str(k).startswith(("session", "snapshot")) for k in left[1])


def test_a_session_that_expires_while_records_wait_keeps_them_and_sends_them_after_login(phone: Phone):
    """The login ends while the phone is offline (here: revoked on the server, as an expiry
    or a password change does). Back online, sending is refused (401, and the refresh token
    is refused too): the app asks for a new login and keeps the records waiting; after it
    logs in again they are sent, exactly once."""
    page = phone.open()
    phone.log_in()
    phone.offline = True
    phone.activity("Sesi habis 1")
    phone.activity("Sesi habis 2")
    until(page, "window.polmasField.mine().then(a => a.length === 2 && a.every(i => i.state === 'waiting'))")
    keys = [i["uuid"] for i in phone.queued()]
    session = page.evaluate("""new Promise(ok => { const r = indexedDB.open('polmas-field');
        r.onsuccess = () => { const g = r.result.transaction('kv').objectStore('kv').get('session');
          g.onsuccess = () => ok(g.result); }; })""")
    status, _a = call(phone.demo, "/api/v1/auth/revoke", {}, token=session["token"])
    assert status == 204

    phone.offline = False
    phone.send_now()
    page.wait_for_selector('a[href="#login"]')  # the outbox asks for a new login
    assert page.locator("p.msg.err").count() >= 1
    until(page, "window.polmasField.mine().then(a => a.length === 2 && a.every(i => i.state === 'waiting'))")
    assert [_count(phone.demo, k) for k in keys] == [0, 0]
    assert phone.badge() == 2

    page.click('a[href="#login"]')
    phone.log_in()  # the same officer: the records waiting are theirs, and go out at once
    assert phone.wait_states({"sent"}) == ["sent", "sent"]
    assert [_count(phone.demo, k) for k in keys] == [1, 1]
    assert phone.demo.query("SELECT count(*) FROM field_receipt WHERE uuid IN (?, ?)",
                            *[k.replace("-", "") for k in keys])[0][0] == 2
    status, answer = _resend(phone, keys)  # a phone that never heard the answer
    assert status == 200 and {r["status"] for r in answer["results"]} == {"exists"}
    assert [_count(phone.demo, k) for k in keys] == [1, 1]
    assert phone.errors == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_screens_fit_a_phone(phone: Phone, lang: str):
    page = phone.open()
    page.evaluate(f"localStorage.setItem('polmas-field-lang', '{lang}')")
    page.reload()
    phone.log_in()
    for view in ("home", "activity", "report", "meeting", "case_note", "checkin", "outbox"):
        page.goto(f"/lapangan/#{view}")
        page.wait_for_timeout(300)
        shots = Path(os.environ.get("POLMAS_SHOTS_DIR") or phone.profile.parent)
        page.screenshot(path=str(shots / f"{view}-{lang}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), view
    assert phone.errors == []
