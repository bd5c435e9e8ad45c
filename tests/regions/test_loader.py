import pytest
from django.core.management import CommandError, call_command

from polmas.regions import codes
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db


def test_it_holds_the_official_list():
    assert Region.objects.filter(level=codes.PROVINCE).count() == 38
    assert Region.objects.filter(level=codes.REGENCY).count() == 514
    assert 7200 <= Region.objects.filter(level=codes.DISTRICT).count() <= 7300
    assert 83_000 <= Region.objects.filter(level=codes.VILLAGE).count() <= 84_000


def test_desa_les_has_its_code_parent_and_coordinates():
    les = Region.objects.get(code="51.08.09.2007")
    assert les.name == "Les"
    assert les.parent_id == "51.08.09"
    assert les.parent.name == "Tejakula"
    assert les.parent.parent.name == "Kabupaten Buleleng"
    assert -8.3 < les.latitude < -8.0 and 115.2 < les.longitude < 115.5
    assert les.utc_offset == 8  # WITA


def test_every_region_below_the_province_has_its_parent():
    orphans = Region.objects.exclude(level=codes.PROVINCE).filter(parent__isnull=True)
    assert not orphans.exists()
    mismatched = [r.code for r in Region.objects.exclude(level=codes.PROVINCE)[:5000]
                  if codes.parent_of(r.code) != r.parent_id]
    assert mismatched == []


def test_reloading_changes_nothing_and_duplicates_nothing(capsys):
    before = Region.objects.count()
    Region.objects.filter(code="51.08.09.2007").update(name="Tampered")
    call_command("load_regions", "--provinces", "51")
    assert Region.objects.count() == before
    assert Region.objects.get(code="51.08.09.2007").name == "Les"
    assert "716" in capsys.readouterr().out


@pytest.mark.parametrize("arg", ["5", "99", "51,xx"])
def test_it_refuses_a_bad_province_code_and_writes_nothing(arg):
    Region.objects.filter(code="51.08.09.2007").update(name="Kept")
    with pytest.raises(CommandError, match="--provinces"):
        call_command("load_regions", "--provinces", arg)
    assert Region.objects.get(code="51.08.09.2007").name == "Kept"
