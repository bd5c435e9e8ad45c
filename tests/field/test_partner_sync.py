"""A partner's staff in the field app (issue 21, part 4): the snapshot carries their
organisation's programmes and those programmes' villages, and nothing an officer's carries
(no villages of posts, forums, roster places, cases, report categories); they record partner
activities offline through the same sync, stored once, refused outside the programme's places
or period."""

import datetime as dt

import pytest
from django.utils import timezone

from partners.conftest import COMPARE, LES, OTHER_TEJAKULA, cast  # noqa: F401  (the fixture)
from polmas.field.models import Receipt
from polmas.partners.models import PartnerActivity

from .conftest import SNAPSHOT, SYNC, record

pytestmark = pytest.mark.django_db


def partner_activity(programme_id: int, uid: str | None = None, **over) -> dict:
    body = {"programme_id": programme_id, "village": LES, "kind": "outreach",
            "occurred_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "participants": 25, "summary": "Penyuluhan tanda perdagangan orang", **over}
    return record("partner_activity", body, uid)


def _send(api, user: str, records: list) -> list[dict]:
    client = api(user)
    client.headers["Accept-Language"] = "en"
    answer = client.post(SYNC, {"records": records})
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def test_a_partners_snapshot_holds_its_programmes_and_their_villages_only(api, cast):  # noqa: F811
    snap = api("biz").get(SNAPSHOT).json()
    assert snap["roles"] == ["partner"]
    assert [p["id"] for p in snap["programmes"]] == [cast.programme.pk]
    programme = snap["programmes"][0]
    assert [v["code"] for v in programme["villages"]] == sorted([LES, OTHER_TEJAKULA])
    assert COMPARE not in str(programme)  # the comparison villages are not places to work in
    assert programme["starts_on"] == cast.programme.starts_on.isoformat()
    # Nothing an officer's phone carries: the partner's grant (Bali) is no list of villages.
    for part in ("villages", "forums", "places", "cases", "interviews", "categories"):
        assert snap[part] == [], part
    assert {k["code"] for k in snap["partner_kinds"]} == {k.value for k in PartnerActivity.Kind}


def test_a_partner_without_a_programme_gets_none_and_an_officer_no_partner_part(api, cast):  # noqa: F811
    ngo = api("ngo").get(SNAPSHOT).json()
    assert ngo["programmes"] == [] and ngo["villages"] == [] and ngo["cases"] == []
    bhabin = api("bhabin").get(SNAPSHOT).json()
    assert bhabin["programmes"] == [] and bhabin["partner_kinds"] == []
    assert bhabin["villages"] and bhabin["categories"]  # the officer's own parts are still there


def test_an_ended_programme_leaves_the_phone(api, cast):  # noqa: F811
    today = timezone.localdate()
    cast.programme.starts_on = today - dt.timedelta(days=800)
    cast.programme.ends_on = today - dt.timedelta(days=400)
    cast.programme.save()
    assert api("biz").get(SNAPSHOT).json()["programmes"] == []


def test_a_partner_activity_is_stored_once_through_the_sync(api, cast):  # noqa: F811
    first = partner_activity(cast.programme.pk)
    results = _send(api, "biz", [first])
    assert results[0]["status"] == "created", results
    made = PartnerActivity.objects.get(client_uuid=first["uuid"])
    assert results[0]["id"] == made.pk
    assert (made.village_id, made.participants, made.recorded_by.username) == (LES, 25, "biz")
    assert Receipt.objects.get(uuid=first["uuid"]).kind == "partner_activity"
    again = _send(api, "biz", [first, first])
    assert [r["status"] for r in again] == ["exists", "exists"]
    assert {r["id"] for r in again} == {made.pk}
    changed = partner_activity(cast.programme.pk, uid=first["uuid"], participants=99)
    assert _send(api, "biz", [changed])[0]["status"] == "conflict"
    assert PartnerActivity.objects.filter(programme=cast.programme).count() == 1
    assert PartnerActivity.objects.get(pk=made.pk).participants == 25


def test_one_sent_through_its_endpoint_first_answers_exists(api, cast):  # noqa: F811
    rec = partner_activity(cast.programme.pk)
    direct = api("biz").post("/api/v1/partner-activities", rec["body"])
    assert direct.status_code == 201, direct.content
    result = _send(api, "biz", [rec])[0]
    assert result["status"] == "exists" and result["id"] == direct.json()["id"]
    assert PartnerActivity.objects.filter(client_uuid=rec["uuid"]).count() == 1


def test_refusals_outside_the_programmes_places_period_or_organisation(api, cast):  # noqa: F811
    today = timezone.localdate()
    cast.programme.starts_on = today - dt.timedelta(days=10)  # inside the sync's window of 92 days
    cast.programme.save()
    good = partner_activity(cast.programme.pk)
    outside = partner_activity(cast.programme.pk, village=COMPARE)
    before = partner_activity(cast.programme.pk, occurred_on=(cast.programme.starts_on
                                                              - dt.timedelta(days=1)).isoformat())
    future = partner_activity(cast.programme.pk, occurred_on=(today + dt.timedelta(days=2)).isoformat())
    bad_kind = partner_activity(cast.programme.pk, kind="party")
    hostile = partner_activity(cast.programme.pk, summary="ok\x00")
    results = _send(api, "biz", [outside, before, good, future, bad_kind, hostile])
    assert [r["status"] for r in results] == ["rejected", "rejected", "created", "rejected", "rejected",
                                               "rejected"]
    assert "Not found in your area" in results[0]["reason"]
    assert results[1]["errors"][0]["field"] == "body.occurred_on"
    assert "programme's period" in results[1]["reason"]
    assert "future" in results[3]["reason"]
    assert results[4]["errors"][0]["field"] == "body.kind"
    assert results[5]["errors"][0]["field"] == "body.summary"
    assert PartnerActivity.objects.count() == 1
    # Another organisation's staff, and an officer, may not record in this programme.
    other = _send(api, "ngo", [partner_activity(cast.programme.pk)])[0]
    assert other["status"] == "rejected" and "Not found in your area" in other["reason"]
    officer = _send(api, "bhabin", [partner_activity(cast.programme.pk)])[0]
    assert officer["status"] == "rejected" and "partner's staff" in officer["reason"]
    assert PartnerActivity.objects.count() == 1
    assert Receipt.objects.filter(kind="partner_activity").count() == 1
