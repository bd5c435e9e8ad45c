"""A business partner's staff in the field app, on a 360-pixel phone (issue 21, part 4): they
see their programmes and nothing of an officer's (no villages of posts, cases, roster
check-ins, officer forms); offline they record partner activities in the programme's
villages; back online each is stored exactly once, and one the server refuses (a village
outside the programme's places, from a stale phone) shows its reason on the record and is
fixed there. A bhabin sees no partner part. Screenshots in $POLMAS_SHOTS_DIR (or tmp)."""

import datetime as dt
import os
from pathlib import Path

import pytest

from polmas.simulation.accounts import PASSWORD
from polmas.simulation.partners import BUSINESS_ACCOUNT

from .test_browser_field import Phone, call, demo, phone, until  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.browser

LES = "51.08.09.2007"
PROGRAMME_VILLAGE = "51.08.09.2006"
COMPARE = "51.08.09.2005"  # a comparison village: not a place of the programme


def _shot(phone: Phone, name: str) -> None:  # noqa: F811
    folder = Path(os.environ.get("POLMAS_SHOTS_DIR") or phone.profile.parent)
    folder.mkdir(parents=True, exist_ok=True)
    phone.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _offline(phone: Phone, off: bool) -> None:  # noqa: F811
    """The page offline (set_offline) and its service worker too (the routes that abort)."""
    phone.offline = off
    phone.context.set_offline(off)


def _rows(phone: Phone, key: str) -> list[tuple]:  # noqa: F811
    return phone.demo.query("SELECT village_id, kind, participants, summary FROM partners_partneractivity "
                            "WHERE client_uuid = ?", key.replace("-", ""))


def _record(phone: Phone, village: str, summary: str, participants: str = "30") -> None:  # noqa: F811
    page = phone.page
    page.goto("/lapangan/#partner_activity")
    page.wait_for_selector("#partner-form select[name=village]")
    page.select_option("select[name=village]", village)
    page.select_option("select[name=kind]", "training")
    page.fill("input[name=occurred_on]", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.fill("input[name=participants]", participants)
    page.fill("textarea[name=summary]", summary)
    page.click("#partner-form button[type=submit]")
    page.wait_for_selector(".card[data-state]")


def test_a_partner_records_activities_offline_sent_once_and_a_refusal_shown(phone: Phone):  # noqa: F811
    page = phone.open()
    phone.log_in(BUSINESS_ACCOUNT)
    until(page, "document.querySelector('#my-programmes') !== null")
    menu = page.eval_on_selector_all("nav.menu a", "els => els.map(e => e.getAttribute('href'))")
    assert menu == ["#partner_activity", "#outbox"]  # no officer's forms, no roster check-in
    assert "Tempat hiburan bebas perdagangan orang" in page.inner_text("#my-programmes")  # open
    assert page.locator("details.card").count() == 1  # no villages of posts, forums or cases
    _shot(phone, "partner-home-360")

    _offline(phone, True)
    page.goto("/lapangan/#partner_activity")
    page.wait_for_selector("#partner-form select[name=village]")
    villages = page.eval_on_selector_all("select[name=village] option", "els => els.map(e => e.value)")
    assert villages == [PROGRAMME_VILLAGE, LES]  # the programme's villages only
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(phone, "partner-form-360")
    _record(phone, PROGRAMME_VILLAGE, "Pelatihan tanda-tanda perdagangan orang")
    # A phone whose snapshot is stale offers a village the programme no longer has.
    page.goto("/lapangan/#partner_activity")
    page.wait_for_selector("#partner-form select[name=village]")
    page.evaluate(f"""(() => {{ const o = document.createElement('option'); o.value = '{COMPARE}';
        o.textContent = 'stale'; document.querySelector('select[name=village]').append(o); }})()""")
    _record(phone, COMPARE, "Penyuluhan di desa lain", participants="12")
    # Offline, a send that started fails and puts them back: waiting, never lost.
    until(page, "Array.from(document.querySelectorAll('.card[data-state]')).map(e => e.dataset.state)"
                ".join() === 'waiting,waiting'")
    assert phone.badge() == 2
    page.reload()  # offline: the app from the service worker's cache, the queue from IndexedDB
    page.wait_for_selector("#badge")
    assert phone.badge() == 2
    queued = {i["body"]["village"]: i["uuid"] for i in phone.queued()}
    assert all(i["kind"] == "partner_activity" for i in phone.queued())

    _offline(phone, False)
    phone.send_now()
    assert sorted(phone.wait_states({"sent", "failed"})) == ["failed", "sent"]
    assert _rows(phone, queued[PROGRAMME_VILLAGE]) == [
        (PROGRAMME_VILLAGE, "training", 30, "Pelatihan tanda-tanda perdagangan orang")]
    assert _rows(phone, queued[COMPARE]) == []
    failed = page.locator(".card[data-state=failed]")
    assert failed.locator(".reason").inner_text().strip()  # the server's reason, on the record
    _shot(phone, "partner-refused-360")

    failed.locator("button.fix").click()  # fixed on the phone: a programme village this time
    page.wait_for_selector("#partner-form select[name=village]")
    assert page.locator("p.msg.err").inner_text().strip()  # the reason stays above the form
    page.select_option("select[name=village]", LES)
    page.click("#partner-form button[type=submit]")
    assert phone.wait_states({"sent"}) == ["sent", "sent"]
    assert _rows(phone, queued[COMPARE]) == [(LES, "training", 12, "Penyuluhan di desa lain")]

    # Sent again by a phone that never heard the answers: nothing new is stored.
    _s, token = call(phone.demo, "/api/v1/auth/token", {"username": BUSINESS_ACCOUNT, "password": PASSWORD})
    records = [{"uuid": i["uuid"], "kind": i["kind"], "hash": i["hash"], "body": i["body"]}
               for i in phone.queued()]
    status, answer = call(phone.demo, "/api/v1/sync", {"records": records}, token=token["token"])
    assert status == 200 and {r["status"] for r in answer["results"]} == {"exists"}
    keys = [i["uuid"].replace("-", "") for i in phone.queued()]
    assert phone.demo.query("SELECT count(*) FROM partners_partneractivity WHERE client_uuid IN (?, ?)",
                            *keys)[0][0] == 2
    assert phone.errors == []


def test_the_partner_form_in_tetum_fits_a_phone(phone: Phone):  # noqa: F811
    page = phone.open()
    page.evaluate("localStorage.setItem('polmas-field-lang', 'tet')")
    page.reload()
    phone.log_in(BUSINESS_ACCOUNT)
    for view in ("home", "partner_activity", "outbox"):
        page.goto(f"/lapangan/#{view}")
        page.wait_for_timeout(300)
        _shot(phone, f"partner-{view}-tet")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), view
    assert page.evaluate("document.documentElement.lang") == "tet"
    assert phone.errors == []


def test_a_bhabin_sees_no_partner_part(phone: Phone):  # noqa: F811
    page = phone.open()
    phone.log_in("bhabin")
    menu = page.eval_on_selector_all("nav.menu a", "els => els.map(e => e.getAttribute('href'))")
    assert "#partner_activity" not in menu and "#activity" in menu
    assert page.locator("#my-programmes").count() == 0
    page.goto("/lapangan/#partner_activity")  # asked for by hand: the home page instead
    page.wait_for_selector("#logout")
    assert page.locator("#partner-form").count() == 0
