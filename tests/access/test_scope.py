import pytest

from conftest import OUTSIDER, person
from polmas.access.scope import scope_for
from polmas.core.scope import normalize, prefix_q
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username,expected", [
    ("kapolsek", ("51.08.09",)),
    ("kapolres", ("51.08",)),
    ("ppa", ("51.08",)),
    ("kapolda", ("51",)),
    ("mitra", ("51",)),
    ("bappenas", ("",)),
    ("admin", ("",)),
    ("warga", ()),
    (OUTSIDER, ("34.04.07",)),
])
def test_scope_follows_role_and_unit(username, expected):
    assert scope_for(person(username)).prefixes == expected


def test_bhabinkamtibmas_scope_is_their_villages():
    scope = scope_for(person("bhabin"))
    assert "51.08.09.2007" in scope.prefixes
    assert all(p.startswith("51.08.09.") and len(p) == 13 for p in scope.prefixes)


def test_forum_member_scope_is_the_forum_village():
    assert scope_for(person("fkpm")).prefixes == ("51.08.09.2007",)


def test_prefix_range_selects_exactly_the_codes_below():
    inside = Region.objects.filter(prefix_q("code", ["51.08"])).values_list("code", flat=True)
    assert set(inside) == set(
        Region.objects.filter(code__startswith="51.08").values_list("code", flat=True)
    )
    assert Region.objects.filter(prefix_q("code", [])).count() == 0


def test_normalize_drops_prefixes_covered_by_shorter_ones():
    assert normalize(["51.08.09", "51.08", "34"]) == ("34", "51.08")
    assert normalize(["51.08", ""]) == ("",)
