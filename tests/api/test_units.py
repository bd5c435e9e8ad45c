"""GET /units and /units/{id}: police units, as far as the caller's scope reaches."""

import pytest

from api.conftest import API, BULELENG, TEJAKULA, all_items, assert_error, under
from conftest import OUTSIDER, OUTSIDER_DISTRICT
from polmas.policing.models import Jurisdiction, PoliceUnit

pytestmark = pytest.mark.django_db

UNITS = f"{API}/units"


def units_under(prefix: str) -> set[int]:
    """Units with a jurisdiction prefix at or below `prefix`, straight from the tables."""
    return set(Jurisdiction.objects.filter(under("prefix", prefix)).values_list("unit_id", flat=True))


def tejakula() -> PoliceUnit:
    return PoliceUnit.objects.get(kind="polsek", region_id=TEJAKULA)


def polsek_of_another_polres() -> PoliceUnit:
    return PoliceUnit.objects.filter(kind="polsek", region__code__startswith="51.").exclude(
        region__code__startswith=BULELENG + ".").order_by("region_id").first()


def test_a_kapolsek_sees_exactly_the_units_of_their_district(api):
    ids = {u["id"] for u in all_items(api("kapolsek"), UNITS)}
    assert ids == units_under(TEJAKULA) and tejakula().pk in ids


def test_a_kapolres_sees_exactly_the_units_of_their_regency(api):
    items = all_items(api("kapolres"), UNITS)
    assert {u["id"] for u in items} == units_under(BULELENG)
    assert {u["kind"] for u in items} == {"polres", "polsek"}


def test_a_national_planner_sees_every_unit(api):
    assert api("bappenas").get(UNITS).json()["count"] == PoliceUnit.objects.count()


def test_it_shows_a_unit_in_full(api):
    unit = tejakula()
    response = api("kapolsek").get(f"{UNITS}/{unit.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": unit.pk, "name": unit.name, "kind": "polsek", "parent_id": unit.parent_id,
        "region_code": TEJAKULA, "jurisdiction": sorted(unit.prefixes()),
    }


def test_it_filters_by_kind(api):
    items = all_items(api("kapolres"), UNITS, kind="polsek")
    polseks = set(PoliceUnit.objects.filter(kind="polsek").values_list("pk", flat=True))
    expected = units_under(BULELENG) & polseks
    assert {u["id"] for u in items} == expected and all(u["kind"] == "polsek" for u in items)


def test_it_hides_units_of_other_polres(api):
    other = polsek_of_another_polres()
    assert_error(api("kapolsek").get(f"{UNITS}/{other.pk}"), 404)
    assert_error(api("kapolres").get(f"{UNITS}/{other.pk}"), 404)
    assert other.pk not in {u["id"] for u in all_items(api("kapolres"), UNITS)}


def test_it_hides_a_unit_in_tejakula_from_a_supervisor_in_yogyakarta(api, english):
    body = assert_error(english(f"{UNITS}/{tejakula().pk}", OUTSIDER), 404)
    # Exactly the answer for a unit that does not exist: nothing is revealed.
    missing = english(f"{UNITS}/{PoliceUnit.objects.order_by('-pk').first().pk + 1000}", OUTSIDER)
    assert body == missing.json() == {"detail": "Not found.", "errors": []}


def test_a_supervisor_in_yogyakarta_lists_only_their_district(api):
    ids = {u["id"] for u in all_items(api(OUTSIDER), UNITS)}
    assert ids == units_under(OUTSIDER_DISTRICT) and ids


def test_a_resident_sees_no_units(api):
    assert api("warga").get(UNITS).json() == {"items": [], "count": 0}
    assert_error(api("warga").get(f"{UNITS}/{tejakula().pk}"), 404)


def test_it_refuses_anonymous_callers(api):
    assert_error(api(None).get(UNITS), 401)
    assert_error(api(None).get(f"{UNITS}/{tejakula().pk}"), 401)


@pytest.mark.parametrize("unit_id", ["abc", "0", "-1", "1.5", str(2**63), "9" * 40])
def test_it_answers_422_for_a_malformed_id(api, unit_id):
    assert_error(api("kapolsek").get(f"{UNITS}/{unit_id}"), 422, "unit_id")


@pytest.mark.parametrize("params,field", [
    ({"kind": "polsekk"}, "kind"), ({"kind": "POLSEK"}, "kind"), ({"kind": "x\x00"}, "kind"),
    ({"limit": 501}, "limit"), ({"limit": -5}, "limit"), ({"offset": -1}, "offset"),
    ({"offset": 10**20}, "offset"),
])
def test_it_answers_422_for_bad_list_parameters(api, params, field):
    assert_error(api("kapolres").get(UNITS, **params), 422, field)


def test_it_pages_through_units_without_repeats(api):
    caller = api("kapolda")
    first = caller.get(UNITS, limit=3).json()
    second = caller.get(UNITS, limit=3, offset=3).json()
    ids = [u["id"] for u in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 6
    assert first["count"] == len(units_under("51"))
