"""The unit tree generated from the regions, and the lookup of a code's unit."""

import pytest
from django.db.models import Count, F

from polmas.policing.models import Jurisdiction, PoliceUnit
from polmas.policing.tree import MABES_NAME, unit_for_region, units_build
from polmas.regions import codes
from polmas.regions.models import Region

from .places import BULELENG, LES, TEJAKULA, unit

pytestmark = pytest.mark.django_db


def test_there_is_one_mabes_a_polda_per_province_and_a_polres_per_regency():
    counts = dict(PoliceUnit.objects.values_list("kind").annotate(n=Count("pk")))
    assert counts == {"mabes": 1, "polda": 38, "polres": 514,
                      "polsek": Region.objects.filter(level=codes.DISTRICT).count()}


def test_every_district_has_its_polsek():
    districts = set(Region.objects.filter(level=codes.DISTRICT).values_list("code", flat=True))
    assert set(PoliceUnit.objects.filter(kind="polsek").values_list("region_id", flat=True)) == districts


def test_jurisdictions_equal_the_home_region_codes():
    mabes = PoliceUnit.objects.get(kind="mabes")
    assert (mabes.name, mabes.region_id, mabes.prefixes()) == (MABES_NAME, None, [""])
    others = PoliceUnit.objects.exclude(kind="mabes")
    assert not others.annotate(n=Count("jurisdiction")).exclude(n=1).exists()
    assert not Jurisdiction.objects.exclude(unit__kind="mabes").exclude(prefix=F("unit__region_id")).exists()


def test_each_unit_hangs_below_the_unit_of_the_parent_region():
    assert PoliceUnit.objects.get(kind="polda", region_id="51").parent.kind == "mabes"
    for kind in ("polres", "polsek"):
        wrong = PoliceUnit.objects.filter(kind=kind).exclude(parent__region_id=F("region__parent_id"))
        assert not wrong.exists(), kind
    assert not PoliceUnit.objects.filter(kind="polda").exclude(parent__kind="mabes").exists()


def test_units_are_named_after_their_region():
    assert unit("polda", "51").name == "Polda Bali"
    assert unit("polres", BULELENG).name == "Polres Buleleng"
    assert unit("polres", "51.71").name == "Polresta Denpasar"  # Kota Denpasar
    assert unit("polsek", TEJAKULA).name == "Polsek Tejakula"


def test_building_again_creates_nothing_and_keeps_edited_names():
    tejakula = unit("polsek", TEJAKULA)
    tejakula.name = "Polsek Tejakula (Pantai Utara)"
    tejakula.save(update_fields=["name"])
    before = PoliceUnit.objects.count(), Jurisdiction.objects.count()

    assert units_build() == 0

    assert (PoliceUnit.objects.count(), Jurisdiction.objects.count()) == before
    assert unit("polsek", TEJAKULA).name == "Polsek Tejakula (Pantai Utara)"


def _bare_polsek(province: str) -> PoliceUnit:
    """A Polsek with nothing attached, outside the demo provinces, safe to delete in a test."""
    return (PoliceUnit.objects.filter(kind="polsek", region__code__startswith=province + ".")
            .filter(officers=None, forums=None, role_grants=None, equipment=None, children=None)
            .order_by("region_id").first())


def test_building_again_restores_a_missing_unit():
    gone = _bare_polsek("11")
    code, name, parent = gone.region_id, gone.name, gone.parent_id
    gone.delete()

    assert units_build() == 1

    again = unit("polsek", code)
    assert (again.name, again.parent_id, again.prefixes()) == (name, parent, [code])


def test_a_unit_of_another_kind_does_not_confuse_the_tree():
    gone = _bare_polsek("11")
    regency, code = gone.region.parent_id, gone.region_id
    gone.delete()
    # e.g. a harbour Polsek whose home region is the whole regency
    PoliceUnit.objects.create(kind="polsek", region_id=regency, name="Polsek Kawasan Pelabuhan",
                              parent=unit("polres", regency))

    units_build()

    assert unit("polsek", code).parent == unit("polres", regency)


@pytest.mark.parametrize("kind,expected", [
    ("polsek", ("polsek", TEJAKULA)), ("polres", ("polres", BULELENG)), ("polda", ("polda", "51")),
    ("mabes", ("mabes", None)),
])
def test_unit_for_region_finds_the_unit_of_each_level(kind, expected):
    found = unit_for_region(code=LES, kind=kind)
    assert (found.kind, found.region_id) == expected


def test_unit_for_region_prefers_the_narrowest_jurisdiction_and_skips_inactive_units():
    kubutambahan = unit("polsek", "51.08.08")
    Jurisdiction.objects.create(unit=kubutambahan, prefix=LES)  # Les handed to the neighbours
    assert unit_for_region(code=LES, kind="polsek") == kubutambahan

    kubutambahan.active = False
    kubutambahan.save(update_fields=["active"])
    assert unit_for_region(code=LES, kind="polsek") == unit("polsek", TEJAKULA)
    assert unit_for_region(code="99.99", kind="polsek") is None
