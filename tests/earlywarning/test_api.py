"""The alarms API: scoped list and detail, acknowledge, dismiss, case; refusals in the API's shape."""

import datetime as dt

import pytest

from conftest import person
from polmas.access.tokens import token_issue
from polmas.earlywarning.models import Alarm

pytestmark = pytest.mark.django_db
API = "/api/v1"
LES = "51.08.09.2007"


def _alarm(**kw) -> Alarm:
    values = {"region_id": LES, "group": "property", "week": dt.date(2026, 11, 23), "weeks": 2,
              "villages": [LES], "observed": 9, "expected": 2.0, "detector": "negbin",
              "top_category": "theft"}
    return Alarm.objects.create(**{**values, **kw})


JSON = "application/json"


def _auth(username: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=person(username))}"}


def test_the_list_and_detail_are_scoped(client):
    alarm = _alarm()
    mine = client.get(f"{API}/alarms", **_auth("kapolsek")).json()
    assert [a["id"] for a in mine["items"]] == [alarm.pk]
    assert mine["items"][0]["week"] == "2026-W48" and mine["items"][0]["sentence"]
    assert client.get(f"{API}/alarms", **_auth("kapolsek_depok")).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/alarms/{alarm.pk}", **_auth("kapolsek_depok")).status_code == 404
    assert client.get(f"{API}/alarms/{alarm.pk}", **_auth("bhabin")).status_code == 200
    assert client.get(f"{API}/alarms?group=gossip", **_auth("kapolsek")).status_code == 422


def test_dismiss_without_reason_is_refused_and_outside_scope_is_404(client):
    alarm = _alarm()
    url = f"{API}/alarms/{alarm.pk}/dismiss"
    blank = client.post(url, {"reason": "   "}, content_type=JSON, **_auth("kapolsek"))
    assert blank.status_code == 400 and blank.json()["errors"][0]["field"] == "reason"
    outside = client.post(url, {"reason": "no"}, content_type=JSON, **_auth("kapolsek_depok"))
    assert outside.status_code == 404
    ok = client.post(url, {"reason": "Laporan ganda"}, content_type=JSON, **_auth("kapolsek"))
    assert ok.status_code == 200 and ok.json()["status"] == "dismissed"
    again = client.post(f"{API}/alarms/{alarm.pk}/case", {}, content_type=JSON, **_auth("kapolsek"))
    assert again.status_code == 409


def test_acknowledge_then_case(client):
    alarm = _alarm()
    ack = client.post(f"{API}/alarms/{alarm.pk}/acknowledge", **_auth("bhabin"))
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    made = client.post(f"{API}/alarms/{alarm.pk}/case", {}, content_type=JSON, **_auth("bhabin"))
    assert made.status_code == 200, made.content
    body = made.json()
    assert body["alarm"]["status"] == "case" and body["alarm"]["case_id"] == body["case_id"]
    case = client.get(f"{API}/cases/{body['case_id']}", **_auth("bhabin")).json()
    assert (case["source"], case["stage"]) == ("detection", "scanning")
