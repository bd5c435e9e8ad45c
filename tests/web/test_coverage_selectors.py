"""analytics.selectors: coverage counted inside a scope, for the pages and their callers."""

import pytest
from webtools import expected

from conftest import OUTSIDER, person
from polmas.access.models import Role, RoleGrant
from polmas.analytics.selectors import (
    coverage_children,
    coverage_home_code,
    coverage_summary,
    coverage_visible,
    resident_village,
)
from polmas.policing.models import PoliceUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_places(django_user_model):
    """A user who is a partner for D.I. Yogyakarta and a supervisor at Polres Buleleng."""
    user = django_user_model.objects.create_user("dua_tempat")
    RoleGrant.objects.create(user=user, role=Role.PARTNER, region_id="34")
    RoleGrant.objects.create(user=user, role=Role.SUPERVISOR,
                             unit=PoliceUnit.objects.get(kind="polres", region_id="51.08"))
    return user


def counts(c) -> dict[str, int]:
    return {"villages": c.villages, "with_officer": c.with_officer, "with_forum": c.with_forum}


def test_a_scope_in_two_provinces_shows_both_one_of_them_in_part(two_places):
    table = coverage_children(user=two_places, code="")

    rows = {r.code: r for r in table.rows}
    assert set(rows) == {"34", "51"}
    assert not rows["34"].partial and rows["51"].partial
    assert counts(rows["34"]) == expected("34")
    assert counts(rows["51"]) == expected("51.08")
    assert table.totals.villages == expected("34")["villages"] + expected("51.08")["villages"]
    assert coverage_home_code(user=two_places) == ""


def test_the_summary_covers_the_whole_scope(two_places):
    summary = coverage_summary(user=two_places)

    assert summary.with_forum == expected("34")["with_forum"] + expected("51.08")["with_forum"]


@pytest.mark.parametrize("username,code", [
    ("kapolsek", "51.08.09"), ("kapolres", "51.08"), ("kapolda", "51"), ("mitra", "51"),
    ("bappenas", ""), ("bhabin", "51.08.09"), ("fkpm", "51.08.09"), (OUTSIDER, "34.04.07"),
    ("warga", None),
])
def test_the_coverage_table_starts_at_the_narrowest_common_region(username, code):
    assert coverage_home_code(user=person(username)) == code


def test_a_resident_reads_no_coverage():
    warga = person("warga")

    assert coverage_visible(user=warga, code="") is False
    assert coverage_children(user=warga, code="51.08.09") is None
    assert coverage_summary(user=warga) is None


def test_a_village_code_is_not_a_table():
    assert coverage_children(user=person("admin"), code="51.08.09.2007") is None


def test_a_resident_village_names_people_but_carries_no_contacts():
    village = resident_village(user=person("warga"))

    assert village.code == "51.08.09.2007" and village.is_village
    assert village.district == "Tejakula"
    assert village.officer and village.forums
    assert not hasattr(village, "phone")
    assert resident_village(user=person("kapolsek")) is None
