"""The activities API as bhabin, kapolsek, forum member and outsider."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from api.conftest import all_items, assert_error
from polmas.activities.models import Activity, DisasterMode, Roster, ShiftVolunteer

from .conftest import LES, OTHER_BULELENG, TEJAKULA

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _visit(**over) -> dict:
    body = {"client_uuid": str(uuid.uuid4()), "kind": "visit", "village": LES,
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "households": 3,
            "issues_heard": "Air bersih", "latitude": -8.06, "longitude": 115.28}
    body.update(over)
    return body


def test_bhabin_posts_an_activity_and_a_resend_is_safe(api):
    bhabin = api("bhabin")
    body = _visit()
    first = bhabin.post(f"{API}/activities", body)
    assert first.status_code == 201, first.content
    item = first.json()
    assert item["region_code"] == LES and item["households"] == 3 and item["kind"] == "visit"
    again = bhabin.post(f"{API}/activities", body)
    assert again.status_code == 200 and again.json()["id"] == item["id"]
    changed = bhabin.post(f"{API}/activities", {**body, "households": 30})
    assert_error(changed, 409)
    assert Activity.objects.get(pk=item["id"]).households == 3


def test_bad_activity_names_the_field(api):
    bhabin = api("bhabin")
    assert_error(bhabin.post(f"{API}/activities", _visit(village=OTHER_BULELENG)), 400, "village")
    assert_error(bhabin.post(f"{API}/activities", _visit(households=None)), 400, "households")
    assert_error(bhabin.post(f"{API}/activities", _visit(kind="outreach", households=None)), 400, "topic")
    assert_error(bhabin.post(f"{API}/activities", _visit(client_uuid="x")), 422)
    assert_error(bhabin.post(f"{API}/activities", _visit(issues_heard="a\x00b")), 400, "issues_heard")
    assert_error(bhabin.post(f"{API}/activities", _visit(latitude="NaN")), 422)
    assert_error(api("warga").post(f"{API}/activities", _visit()), 403)


def test_lists_follow_scope_and_hide_detection(api):
    bhabin = api("bhabin")
    visit = bhabin.post(f"{API}/activities", _visit()).json()
    secret = bhabin.post(f"{API}/activities", _visit(kind="detection", households=None,
                                                     summary="Rahasia")).json()
    kapolsek = {i["id"] for i in all_items(api("kapolsek"), f"{API}/activities", region=TEJAKULA)}
    assert {visit["id"], secret["id"]} <= kapolsek
    fkpm = {i["id"] for i in all_items(api("fkpm"), f"{API}/activities")}
    assert visit["id"] in fkpm and secret["id"] not in fkpm
    assert api("fkpm").get(f"{API}/activities/{secret['id']}").status_code == 404
    assert api("kapolsek").get(f"{API}/activities/{secret['id']}").json()["summary"] == "Rahasia"
    outsider = api("kapolsek_depok")
    assert_error(outsider.get(f"{API}/activities/{visit['id']}"), 404)
    assert outsider.get(f"{API}/activities", region=TEJAKULA).json() == {"items": [], "count": 0}
    assert_error(bhabin.get(f"{API}/activities", kind="sleep"), 400, "kind")


def _roster_body(**over) -> dict:
    body = {"village": LES, "name": "Ronda RT 1", "start": timezone.localdate().isoformat(), "nights": 7,
            "posts": ["Pos 1"], "per_post": 2, "max_per_week": 3,
            "volunteers": [{"name": f"Warga {i}"} for i in range(6)]}
    body.update(over)
    return body


def test_roster_create_generate_swap_check_in(api):
    bhabin = api("bhabin")
    created = bhabin.post(f"{API}/rosters", _roster_body())
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    gen = bhabin.post(f"{API}/rosters/{rid}/generate", {"version": created.json()["version"]})
    assert gen.status_code == 200, gen.content
    detail = gen.json()
    assert len(detail["shifts"]) == 7 and all(len(s["volunteers"]) == 2 for s in detail["shifts"])
    assert_error(bhabin.post(f"{API}/rosters/{rid}/generate", {"version": created.json()["version"]}), 409)
    first = detail["shifts"][0]["volunteers"][0]
    second = next(p for s in detail["shifts"][1:3] for p in s["volunteers"]
                  if p["volunteer_id"] not in {v["volunteer_id"] for v in detail["shifts"][0]["volunteers"]}
                  and first["volunteer_id"] not in {v["volunteer_id"] for v in s["volunteers"]})
    swapped = bhabin.post(f"{API}/rosters/{rid}/swap", {"first": first["place"], "second": second["place"]})
    assert swapped.status_code == 200, swapped.content
    assert ShiftVolunteer.objects.get(pk=first["place"]).night.isoformat() != detail["shifts"][0]["night"]
    tonight = ShiftVolunteer.objects.filter(shift__roster_id=rid, night=timezone.localdate()).first()
    checked = api("fkpm").post(f"{API}/rosters/{rid}/check-in", {"place": tonight.pk})
    assert checked.status_code == 200 and checked.json()["checked_in_at"]
    assert_error(api("kapolsek_depok").post(f"{API}/rosters/{rid}/check-in", {"place": tonight.pk}), 404)
    assert_error(api("kapolsek_depok").get(f"{API}/rosters/{rid}"), 404)
    assert rid in {r["id"] for r in all_items(api("kapolsek"), f"{API}/rosters")}
    assert rid not in {r["id"] for r in all_items(api("mitra"), f"{API}/rosters")}


def test_roster_errors(api):
    assert_error(api("bhabin").post(f"{API}/rosters", _roster_body(per_post=1)), 400, "per_post")
    assert_error(api("bhabin").post(f"{API}/rosters", _roster_body(village=OTHER_BULELENG)), 400, "village")
    assert_error(api("bhabin").post(f"{API}/rosters", _roster_body(posts=["Pos\x00"])), 400, "posts")
    assert_error(api("bhabin").post(f"{API}/rosters", _roster_body(volunteers=[{"name": "A\x01"}] * 3)), 422,
                 "volunteers.0.name")
    assert not Roster.objects.filter(name="Ronda RT 1").exists()


def test_disaster_mode_on_and_off(api):
    assert_error(api("bhabin").post(f"{API}/disaster-modes", {"prefix": TEJAKULA, "kind": "flood",
                                                              "reason": "Banjir"}), 403)
    assert_error(api("kapolsek_depok").post(f"{API}/disaster-modes", {"prefix": TEJAKULA, "kind": "flood",
                                                                      "reason": "Banjir"}), 400, "prefix")
    on = api("kapolsek").post(f"{API}/disaster-modes",
                              {"prefix": TEJAKULA, "kind": "flood", "reason": "Banjir"})
    assert on.status_code == 201 and on.json()["ended_at"] is None
    assert [m["prefix"] for m in api("bhabin").get(f"{API}/disaster-modes").json()["items"]] == [TEJAKULA]
    assert api("kapolsek_depok").get(f"{API}/disaster-modes").json()["count"] == 0
    off = api("kapolsek").post(f"{API}/disaster-modes/end", {"prefix": TEJAKULA})
    assert off.status_code == 200 and off.json()["ended_at"]
    assert not DisasterMode.objects.filter(ended_at__isnull=True).exists()


PATHS = {
    f"{API}/activities": ["get", "post"], f"{API}/activities/{{activity_id}}": ["get"],
    f"{API}/rosters": ["get", "post"], f"{API}/rosters/{{roster_id}}": ["get"],
    f"{API}/rosters/{{roster_id}}/generate": ["post"], f"{API}/rosters/{{roster_id}}/swap": ["post"],
    f"{API}/rosters/{{roster_id}}/check-in": ["post"],
    f"{API}/disaster-modes": ["get", "post"], f"{API}/disaster-modes/end": ["post"],
}


def test_every_path_is_documented_with_the_one_error_shape(client):
    doc = client.get(f"{API}/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, methods in PATHS.items():
        assert sorted(doc["paths"][path]) == sorted(methods), path
        for method in methods:
            operation = doc["paths"][path][method]
            assert operation["security"] == [{"BearerAuth": []}], path
            assert operation["responses"]["422"]["content"]["application/json"]["schema"] == error
            if "{" in path:
                assert operation["responses"]["404"]["content"]["application/json"]["schema"] == error


def test_anonymous_callers_are_refused_everywhere(client):
    for path, methods in PATHS.items():
        concrete = path.replace("{activity_id}", "1").replace("{roster_id}", "1")
        for method in methods:
            response = (client.post(concrete, {}, content_type="application/json") if method == "post"
                        else client.get(concrete))
            assert_error(response, 401)
