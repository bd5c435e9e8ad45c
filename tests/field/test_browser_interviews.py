"""A survey enumerator's interviews in the field app, in a real Chromium on a 360-pixel phone:
opened online, then the network cut (page and service worker), two interviews filled (skip
logic and the range check on the way), the page reloaded, the network back: the server holds
exactly those two interviews with their answers. A refusal by the server (the village given to
someone else meanwhile) is shown on the record. A Bhabinkamtibmas sees no Interviews section.

The demo server is the fixture of tests/browser/test_browser_coverage.py; the enumerator and
their assignment are made in its database by `polmas shell`."""

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from polmas.simulation.accounts import PASSWORD

from .test_browser_field import Demo, Phone, demo, phone, until  # noqa: F401

pytestmark = pytest.mark.browser

ENUMERATOR = "enum_lapangan"


def _shell(demo: Demo, code: str) -> str:  # noqa: F811
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(POLMAS_VAR_DIR=str(demo.database.parent))
    out = subprocess.run([shutil.which("uv"), "run", "polmas", "shell", "-c", code],  # noqa: S603
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.strip().splitlines()[-1]


def _assigned(demo: Demo) -> tuple[int, str]:  # noqa: F811
    """An enumerator (made once) with one sampled village of the demo's wave assigned."""
    line = _shell(demo, f"""
from django.contrib.auth.models import User
from polmas.access.models import Role, RoleGrant
from polmas.surveys.collection import villages_assign
from polmas.surveys.models import SampleVillage
user = User.objects.filter(username={ENUMERATOR!r}).first()
if user is None:
    user = User.objects.create_user({ENUMERATOR!r}, password={PASSWORD!r})
    RoleGrant.objects.create(user=user, role=Role.ENUMERATOR, organisation="Universitas Udayana")
sv = (SampleVillage.objects.filter(enumerator__isnull=True).exclude(responses__channel="interview")
      .order_by("sample_id", "village_code").first())
villages_assign(actor=None, sample=sv.sample, enumerator=user, village_codes=[sv.village_code])
print(sv.sample_id, sv.village_code)
""")
    sample, village = line.split()
    return int(sample), village


def _interviews(demo: Demo, sample: int, village: str) -> list[tuple[str, dict]]:  # noqa: F811
    rows = demo.query("SELECT r.client_uuid, r.answers FROM surveys_response r JOIN surveys_samplevillage sv "
                      "ON sv.id = r.sample_village_id WHERE sv.sample_id = ? AND sv.village_code = ? "
                      "AND r.channel = 'interview' ORDER BY r.id", sample, village)
    return [(str(uuid.UUID(u)), json.loads(a)) for u, a in rows]


FIRST = {"consent": "yes", "feel_safe": "4", "fear_home": "0", "trust_police": "8", "police_respect": "3",
         "police_fair": "3", "police_values": "2", "victim_12m": "yes", "victim_reported": "no",
         "know_bhabin": "no", "know_fkpm": "dk", "age": "45"}
SECOND = {"consent": "yes", "feel_safe": "2", "fear_home": "3", "trust_police": "4", "police_respect": "2",
          "police_fair": "1", "police_values": "4", "victim_12m": "no", "know_bhabin": "yes",
          "met_bhabin": "yes", "know_fkpm": "yes", "age": "30"}


def _hidden(page, name: str) -> bool:
    return page.evaluate(f"document.querySelector('[data-q={name}]').hidden")


def _all_waiting(phone: Phone, n: int) -> None:  # noqa: F811
    """Every record waiting. (A save, and the app's start, try to send at once: offline, the
    records are "sending" for a moment, then "waiting" again.)"""
    until(phone.page, "[...document.querySelectorAll('.card[data-state]')].map(e => e.dataset.state).join() "
          f"=== '{','.join(['waiting'] * n)}'")
    assert phone.badge() == n


def _fill(phone: Phone,  # noqa: F811
          where: tuple[int, str], answers: dict, shot: Path | None = None) -> None:
    page = phone.page
    page.goto("/lapangan/#interview")
    page.wait_for_selector("#interview-form [data-q=consent]")
    page.select_option("select[name=village]", f"{where[0]}|{where[1]}")
    assert _hidden(page, "feel_safe")  # asked only once the respondent agreed
    for name, value in answers.items():
        if name == "age":
            continue
        page.check(f'[data-q={name}] input[value="{value}"]')
    assert _hidden(page, "victim_reported") == (answers["victim_12m"] != "yes")
    assert _hidden(page, "met_bhabin") == (answers["know_bhabin"] != "yes")
    # Out of range: refused on the phone, said why, nothing queued.
    before = len(phone.queued())
    page.fill("[data-q=age] input", "150")
    page.click("#interview-form button[type=submit]")
    assert "120" in page.inner_text("[data-q=age] .q-err")
    assert page.is_visible(".msg.err") and len(phone.queued()) == before
    page.fill("[data-q=age] input", answers["age"])
    if shot is not None:
        page.screenshot(path=str(shot), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#interview-form button[type=submit]")
    page.wait_for_selector(".card[data-state]")
    until(page, f"document.querySelectorAll('.card[data-state]').length === {before + 1}")


def test_an_enumerator_interviews_offline_and_each_reaches_the_server_once(phone: Phone):  # noqa: F811
    sample, village = _assigned(phone.demo)
    shots = Path(os.environ.get("POLMAS_SHOTS_DIR") or phone.profile.parent)
    page = phone.open()
    phone.log_in(ENUMERATOR)
    assert page.is_visible('a[href="#interview"]')
    phone.offline = True
    # No consent: every other question is skipped, and nothing is recorded.
    page.goto("/lapangan/#interview")
    page.check('[data-q=consent] input[value="no"]')
    assert _hidden(page, "feel_safe") and _hidden(page, "age")
    page.click("#interview-form button[type=submit]")
    page.wait_for_selector(".msg.err")
    assert phone.queued() == []
    _fill(phone, (sample, village), FIRST, shots / "interview-form.png")
    _fill(phone, (sample, village), SECOND)
    _all_waiting(phone, 2)
    page.reload()  # offline: the app and the questionnaire come from the phone
    page.wait_for_selector("#badge")
    page.goto("/lapangan/#outbox")
    page.wait_for_selector("#send-now")
    _all_waiting(phone, 2)
    page.screenshot(path=str(shots / "interview-outbox.png"), full_page=True)
    queued = {i["uuid"]: i["body"] for i in phone.queued()}
    assert {(b["sample"], b["village"], b["consent"]) for b in queued.values()} == {(sample, village, True)}
    assert not _interviews(phone.demo, sample, village)

    phone.offline = False
    phone.send_now()
    assert phone.wait_states({"sent"}) == ["sent", "sent"]
    stored = dict(_interviews(phone.demo, sample, village))
    assert set(stored) == set(queued)
    assert sorted(stored.values(), key=lambda a: a["age"]) == [SECOND, FIRST]
    phone.send_now()  # again: nothing new
    page.wait_for_timeout(1000)
    assert len(_interviews(phone.demo, sample, village)) == 2

    # The village is given to someone else while a third interview waits: the server refuses
    # it, and the phone shows why (the record stays, to fix or discard).
    phone.offline = True
    _fill(phone, (sample, village), FIRST)
    _shell(phone.demo, f"""
from polmas.surveys.models import SampleVillage
print(SampleVillage.objects.filter(sample_id={sample}, village_code={village!r}).update(enumerator=None))
""")
    phone.offline = False
    phone.send_now()
    assert sorted(phone.wait_states({"sent", "failed"})) == ["failed", "sent", "sent"]
    reason = page.inner_text('.card[data-state=failed] .reason')
    assert "desa ini tidak ditugaskan kepada Anda" in reason, reason  # the app speaks Indonesian here
    page.screenshot(path=str(shots / "interview-refused.png"), full_page=True)
    assert len(_interviews(phone.demo, sample, village)) == 2
    assert phone.errors == []


def test_a_bhabin_sees_no_interviews(phone: Phone):  # noqa: F811
    page = phone.open()
    phone.log_in("bhabin")
    assert page.is_visible('a[href="#activity"]')
    assert page.locator('a[href="#interview"]').count() == 0
    page.goto("/lapangan/#interview")
    page.wait_for_selector("#logout")  # the home screen, no questionnaire
    assert page.locator("#interview-form").count() == 0
