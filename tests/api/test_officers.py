"""GET /officers and /officers/{id}: officers of units in scope, or posted to villages in it."""

import pytest
from django.db.models import Q

from api.conftest import API, BULELENG, LES, TEJAKULA, all_items, assert_error, under
from conftest import OUTSIDER, OUTSIDER_DISTRICT, person
from polmas.access.models import Role
from polmas.policing.models import Jurisdiction, Officer

pytestmark = pytest.mark.django_db

OFFICERS = f"{API}/officers"


def officers_in(prefix: str) -> set[int]:
    """Officers of a unit whose jurisdiction lies at or below `prefix`, or posted (now) below it."""
    units = Jurisdiction.objects.filter(under("prefix", prefix)).values("unit_id")
    posted = Q(assignments__end__isnull=True) & under("assignments__village__code", prefix)
    return set(Officer.objects.filter(Q(unit_id__in=units) | posted).values_list("pk", flat=True))


def the_bhabin() -> Officer:
    return Officer.objects.get(user=person("bhabin"))


def officer_of_another_polres() -> Officer:
    return Officer.objects.filter(unit__region__code__startswith="51.").exclude(
        pk__in=officers_in(BULELENG)).order_by("pk").first()


def test_a_kapolsek_sees_exactly_the_officers_of_their_district(api):
    ids = {o["id"] for o in all_items(api("kapolsek"), OFFICERS)}
    assert ids == officers_in(TEJAKULA)
    assert {the_bhabin().pk, Officer.objects.get(user=person("kapolsek")).pk} <= ids


def test_a_kapolres_sees_exactly_the_officers_of_their_regency(api):
    assert {o["id"] for o in all_items(api("kapolres"), OFFICERS)} == officers_in(BULELENG)


def test_an_officer_posted_into_the_district_from_elsewhere_is_listed(api):
    bhabin = the_bhabin()
    tejakula_units = Jurisdiction.objects.filter(prefix=TEJAKULA).values("unit_id")
    outsider_unit = Officer.objects.exclude(unit_id__in=tejakula_units).order_by("pk").first().unit
    Officer.objects.filter(pk=bhabin.pk).update(unit=outsider_unit)
    assert bhabin.pk in {o["id"] for o in all_items(api("kapolsek"), OFFICERS)}


def test_it_shows_an_officer_with_their_postings(api):
    bhabin = the_bhabin()
    body = api("kapolsek").get(f"{OFFICERS}/{bhabin.pk}").json()
    current = sorted(a.village_id for a in bhabin.assignments.filter(end__isnull=True))
    assert {k: body[k] for k in ("id", "nrp", "name", "rank", "unit_id", "active")} == {
        "id": bhabin.pk, "nrp": bhabin.nrp, "name": bhabin.name, "rank": bhabin.rank,
        "unit_id": bhabin.unit_id, "active": bhabin.active}
    assert sorted(body["villages"]) == current and LES in current
    assert sorted((a["village_code"], a["start"], a["end"]) for a in body["assignments"]) == sorted(
        (a.village_id, a.start.isoformat(), a.end and a.end.isoformat()) for a in bhabin.assignments.all())


def test_it_never_shows_an_officers_phone_or_email(api):
    bhabin = the_bhabin()
    bhabin.phone, bhabin.email = "+62 812 0000 4242", "bhabin.les@example.test"
    bhabin.save()
    for response in (api("kapolsek").get(f"{OFFICERS}/{bhabin.pk}"), api("kapolsek").get(OFFICERS)):
        assert b"4242" not in response.content and b"bhabin.les@" not in response.content
    assert not {"phone", "email"} & set(api("admin").get(f"{OFFICERS}/{bhabin.pk}").json())


def test_it_hides_officers_of_other_polres(api):
    other = officer_of_another_polres()
    assert_error(api("kapolsek").get(f"{OFFICERS}/{other.pk}"), 404)
    assert_error(api("kapolres").get(f"{OFFICERS}/{other.pk}"), 404)
    assert api("kapolda").get(f"{OFFICERS}/{other.pk}").status_code == 200


def test_it_hides_an_officer_in_tejakula_from_a_supervisor_in_yogyakarta(english):
    body = assert_error(english(f"{OFFICERS}/{the_bhabin().pk}", OUTSIDER), 404)
    assert body == {"detail": "Not found.", "errors": []}


def test_a_supervisor_in_yogyakarta_lists_only_their_district(api):
    ids = {o["id"] for o in all_items(api(OUTSIDER), OFFICERS)}
    assert ids == officers_in(OUTSIDER_DISTRICT) and ids
    assert the_bhabin().pk not in ids


def test_a_bhabinkamtibmas_sees_the_officers_posted_to_their_villages(api):
    ids = {o["id"] for o in all_items(api("bhabin"), OFFICERS)}
    assert ids == {the_bhabin().pk}


def test_a_resident_sees_no_officers(api):
    assert api("warga").get(OFFICERS).json() == {"items": [], "count": 0}
    assert_error(api("warga").get(f"{OFFICERS}/{the_bhabin().pk}"), 404)


def test_it_filters_by_active(api):
    Officer.objects.filter(pk=the_bhabin().pk).update(active=False)
    inactive = all_items(api("kapolsek"), OFFICERS, active="false")
    active = all_items(api("kapolsek"), OFFICERS, active="true")
    assert [o["id"] for o in inactive] == [the_bhabin().pk]
    assert all(o["active"] for o in active) and len(active) == len(officers_in(TEJAKULA)) - 1


def test_it_refuses_anonymous_callers(api):
    assert_error(api(None).get(OFFICERS), 401)
    assert_error(api(None).get(f"{OFFICERS}/{the_bhabin().pk}"), 401)


@pytest.mark.parametrize("officer_id", ["abc", "0", "-3", str(2**63), "1e3"])
def test_it_answers_422_for_a_malformed_id(api, officer_id):
    assert_error(api("kapolsek").get(f"{OFFICERS}/{officer_id}"), 422, "officer_id")


@pytest.mark.parametrize("params,field", [
    ({"active": "maybe"}, "active"), ({"limit": 0}, "limit"), ({"limit": 10**6}, "limit"),
    ({"offset": "-1"}, "offset"),
])
def test_it_answers_422_for_bad_list_parameters(api, params, field):
    assert_error(api("kapolsek").get(OFFICERS, **params), 422, field)


def test_a_partner_or_forum_member_reads_no_personnel_records(api):
    # Partners and forum members work in the region but officers' records are the police's.
    assert person("mitra").role_grants.get().role == Role.PARTNER
    assert all_items(api("mitra"), OFFICERS) == []
    assert all_items(api("fkpm"), OFFICERS) == []
    some = officers_in("51.08.09")
    assert some
    assert api("mitra").get(f"{OFFICERS}/{min(some)}").status_code == 404
