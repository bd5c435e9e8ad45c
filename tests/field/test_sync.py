"""POST /api/v1/sync: per-record answers in order, idempotent by UUID and hash, one bad record
never blocking the rest, and each refusal with its reason."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from conftest import person
from polmas.activities.models import Activity
from polmas.cases.models import TimelineEntry
from polmas.field.models import Receipt
from polmas.forums.models import Meeting
from polmas.reports.models import Report

from .conftest import LES, OTHER_BULELENG, SYNC, record, visit

pytestmark = pytest.mark.django_db


def _send(api, user: str, records: list, lang: str = "en"):
    client = api(user)
    client.headers["Accept-Language"] = lang
    answer = client.post(SYNC, {"records": records})
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def test_created_then_exists_then_conflict(api):
    first = visit()
    results = _send(api, "bhabin", [first])
    assert results[0]["status"] == "created" and results[0]["uuid"] == first["uuid"]
    made = results[0]["id"]
    assert Activity.objects.filter(client_uuid=first["uuid"]).count() == 1
    again = _send(api, "bhabin", [first])
    assert again[0] == {**again[0], "status": "exists", "id": made}
    changed = visit(uid=first["uuid"], households=30)
    answer = _send(api, "bhabin", [changed])[0]
    assert answer["status"] == "conflict" and answer["reason"]
    assert Activity.objects.get(pk=made).households == 3
    assert Activity.objects.filter(client_uuid=first["uuid"]).count() == 1


def test_one_bad_record_never_blocks_the_rest_and_order_is_kept(api):
    good1, good2 = visit(), visit()
    outside = visit(village=OTHER_BULELENG)
    future = visit(occurred_at=(timezone.now() + dt.timedelta(days=2)).isoformat())
    old = visit(occurred_at=(timezone.now() - dt.timedelta(days=200)).isoformat())
    malformed = visit(households="many")
    not_object = "hello"
    no_hash = {**visit(), "hash": "x"}
    wrong_uuid = visit()
    wrong_uuid["body"]["client_uuid"] = str(uuid.uuid4())
    batch = [good1, outside, future, old, malformed, not_object, no_hash, wrong_uuid, good2]
    results = _send(api, "bhabin", batch)
    assert [r["status"] for r in results] == ["created"] + ["rejected"] * 7 + ["created"]
    assert [r["uuid"] for r in results[:5]] == [r["uuid"] for r in batch[:5]]
    assert "outside your posts" in results[1]["reason"]
    assert "future" in results[2]["reason"]
    assert "older than 92 days" in results[3]["reason"]
    assert results[4]["errors"][0]["field"] == "body.households"
    assert results[6]["errors"][0]["field"] == "hash"
    assert results[7]["errors"][0]["field"] == "body.client_uuid"
    stored = set(Activity.objects.filter(client_uuid__in=[r["uuid"] for r in batch[:5] + batch[8:]])
                 .values_list("client_uuid", flat=True))
    assert {str(u) for u in stored} == {good1["uuid"], good2["uuid"]}


def test_reasons_in_the_users_language(api):
    # An already translated reason of the activities service, in Indonesian and in English.
    bad = visit(households=None)
    indonesian = _send(api, "bhabin", [bad], lang="id")[0]["reason"]
    english = _send(api, "bhabin", [bad], lang="en")[0]["reason"]
    assert "households visited" in english and "rumah tangga" in indonesian


def test_a_service_refusal_rolls_back_only_its_record(api):
    # A visit without households: the activities service refuses it after our checks.
    bad = visit(households=None)
    good = visit()
    results = _send(api, "bhabin", [bad, good])
    assert results[0]["status"] == "rejected" and results[0]["errors"][0]["field"] == "body.households"
    assert results[1]["status"] == "created"
    assert not Receipt.objects.filter(uuid=bad["uuid"]).exists()


def test_same_record_twice_in_one_batch_is_stored_once(api):
    one = visit()
    results = _send(api, "bhabin", [one, one])
    assert [r["status"] for r in results] == ["created", "exists"] and results[0]["id"] == results[1]["id"]
    assert Activity.objects.filter(client_uuid=one["uuid"]).count() == 1


def test_a_uuid_sent_first_through_the_activities_endpoint_is_exists(api):
    one = visit()
    assert api("bhabin").post("/api/v1/activities", one["body"]).status_code == 201
    assert _send(api, "bhabin", [one])[0]["status"] == "exists"


def test_more_than_500_records_is_refused_whole(api):
    answer = api("bhabin").post(SYNC, {"records": [visit() for _ in range(501)]})
    assert answer.status_code == 422 and "records" in answer.json()["errors"][0]["field"]
    assert api(None).post(SYNC, {"records": []}).status_code == 401


def test_report_taken_for_a_resident(api):
    body = {"category": "theft", "description": "Sapi hilang di kandang", "village": LES,
            "occurred_at": (timezone.now() - dt.timedelta(days=1)).isoformat(), "anonymous": True}
    one = record("report", body)
    result = _send(api, "bhabin", [one])[0]
    assert result["status"] == "created", result
    report = Report.objects.get(pk=result["id"])
    assert report.channel == "officer" and str(report.client_uuid) == one["uuid"]
    assert _send(api, "bhabin", [one])[0] == {**result, "status": "exists"}
    outside = record("report", {**body, "village": OTHER_BULELENG})
    assert _send(api, "bhabin", [outside])[0]["status"] == "rejected"


def test_meeting_with_attendance_minutes_decisions_and_issues(api):
    from polmas.forums.models import Forum

    forum = Forum.objects.filter(members__user__username="fkpm").first()
    members = list(forum.members.filter(active=True).values_list("pk", flat=True)[:3])
    body = {"forum_id": forum.pk, "held_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
            "agenda": "Keamanan banjar", "status": "held", "minutes": "Dibahas ronda malam.",
            "attendance": {"present": members, "others_women": 4},
            "decisions": ["Ronda dua orang per pos"],
            "issues": [{"text": "Lampu jalan mati", "category_code": "", "raised_by": ""}]}
    one = record("meeting", body)
    result = _send(api, "fkpm", [one])[0]
    assert result["status"] == "created", result
    meeting = Meeting.objects.get(pk=result["id"])
    assert meeting.minutes == "Dibahas ronda malam." and meeting.decisions.count() == 1
    assert meeting.issues.count() == 1 and meeting.others_women == 4
    assert _send(api, "fkpm", [one])[0]["status"] == "exists"
    assert Meeting.objects.filter(client_uuid=one["uuid"]).count() == 1


def test_case_note_and_action(api):
    from cases.helpers import open_case, walk

    case = walk(open_case(), "analysis")
    note = record("case_note", {"case_id": case.pk, "note": "Bertemu kepala dusun."})
    due = str(timezone.localdate() + dt.timedelta(days=7))
    action = record("case_note", {"case_id": case.pk, "description": "Pasang lampu",
                                  "owner_kind": "officer", "owner_name": "Bhabin", "due": due})
    results = _send(api, "bhabin", [note, action])
    assert [r["status"] for r in results] == ["created", "created"], results
    assert TimelineEntry.objects.get(pk=results[0]["id"]).note == "Bertemu kepala dusun."
    assert case.actions.filter(pk=results[1]["id"]).exists()
    assert [r["status"] for r in _send(api, "bhabin", [note, action])] == ["exists", "exists"]
    outsider = record("case_note", {"case_id": case.pk, "note": "x"})
    assert _send(api, "kapolsek_depok", [outsider])[0]["status"] == "rejected"


def test_checkin(api, roster):
    from polmas.activities.models import ShiftVolunteer
    from polmas.activities.rosters import roster_generate

    roster_generate(actor=person("bhabin"), roster_id=roster.pk, version=None)
    place = ShiftVolunteer.objects.filter(shift__roster=roster, night=timezone.localdate()).first()
    one = record("checkin", {"roster_id": roster.pk, "place": place.pk})
    result = _send(api, "bhabin", [one])[0]
    assert result["status"] == "created" and result["id"] == place.pk
    place.refresh_from_db()
    assert place.checked_in_at is not None
    assert _send(api, "bhabin", [one])[0]["status"] == "exists"


def test_a_batch_of_activities_is_written_together(api, django_assert_max_num_queries):
    # One by one, 200 activities take over a thousand queries; together, a handful.
    records = [visit() for _ in range(200)]
    bhabin = api("bhabin")
    with django_assert_max_num_queries(60):
        results = bhabin.post(SYNC, {"records": records}).json()["results"]
    assert [r["status"] for r in results] == ["created"] * 200
    assert Activity.objects.filter(client_uuid__in=[r["uuid"] for r in records]).count() == 200
    assert Receipt.objects.filter(uuid__in=[r["uuid"] for r in records]).count() == 200
    from polmas.access.models import AuditEntry

    assert AuditEntry.objects.filter(action="activity.record",
                                     object_id__in=[str(r["id"]) for r in results]).count() == 200


# --- the content hash, recomputed by the server -------------------------------------------------

PHONE_BODY = {"client_uuid": "6f1c2a1e-8a0b-4c41-9a3e-0d6c2f1b7a10", "kind": "visit",
              "village": "51.08.09.2007", "households": 3,
              "issues_heard": "Air bersih \u2013 warga \"Banjar\" \u00e9\n\U0001F600",
              "occurred_at": "2026-12-04T08:00:00+00:00", "latitude": -8.0, "longitude": 115.2800001,
              "extra": [1e-7, 1e21, 100.0, None, True]}
# sha(canon(PHONE_BODY)) as app.js computes it, taken from node with app.js's `canon`.
PHONE_HASH = "79e39146df2b2056b716e61d8ec8a40c6f4c2f46df8662a1ee5f0338cf74cbfa"


def test_the_server_hashes_a_body_as_the_phone_does():
    """Keys sorted, no spaces, numbers as JavaScript writes them (-8, 1e-7, 1e+21, 100),
    non-ASCII kept, quotes and newlines escaped."""
    from polmas.field.canon import body_hash, canonical

    assert body_hash(PHONE_BODY) == PHONE_HASH
    assert canonical({"b": 1.0, "a": [0.000001, 1e16, -0.0]}) == '{"a":[0.000001,10000000000000000,0],"b":1}'


def test_a_record_whose_hash_does_not_match_its_body_is_refused_and_stores_nothing(api):
    import hashlib
    import json

    good = visit(issues_heard="Air bersih \u2013 \u00e9", latitude=-8.0)  # hashed as the phone does
    changed = visit()
    changed["body"]["households"] = 40  # changed after hashing (on the way, or by a bad client)
    other_form = visit(issues_heard="Jalan rusak \u00e9", latitude=-8.0)
    other_form["hash"] = hashlib.sha256(json.dumps(other_form["body"], sort_keys=True).encode()).hexdigest()
    results = _send(api, "bhabin", [good, changed, other_form])
    assert [r["status"] for r in results] == ["created", "rejected", "rejected"]
    for refused in results[1:]:
        assert refused["errors"] == [{"field": "hash", "reason": refused["errors"][0]["reason"]}]
        assert "does not match the body" in refused["reason"]
    assert not Activity.objects.filter(client_uuid__in=[changed["uuid"], other_form["uuid"]]).exists()
    assert not Receipt.objects.filter(uuid__in=[changed["uuid"], other_form["uuid"]]).exists()
    # Sent again with its true hash, the changed record is taken.
    from polmas.field.canon import body_hash

    changed["hash"] = body_hash(changed["body"])
    assert _send(api, "bhabin", [changed])[0]["status"] == "created"
