"""`polmas simulate --plant-outbreak VILLAGES:FACTOR:WEEKS [--outbreak-district CODE]`: the
input is checked before anything is written, with the option and the reason named; what is
planted is what was asked for, and the early warning finds it."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from earlywarning.helpers import LAST, TODAY, background
from polmas.earlywarning.counts import local_zone
from polmas.earlywarning.run import early_warning_run
from polmas.regions.models import Region
from polmas.reports.models import Report
from polmas.simulation.outbreak import (
    OutbreakRefused,
    OutbreakSpec,
    outbreak_plant,
    outbreak_spec_parse,
    outbreak_villages,
)
from polmas.simulation.run import _outbreak_plant

pytestmark = pytest.mark.django_db
TEJAKULA = "51.08.09"


@pytest.fixture
def today(monkeypatch):
    now = dt.datetime.combine(TODAY, dt.time(3), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return TODAY


def test_a_spec_is_read_from_the_option():
    assert outbreak_spec_parse("3:2.5:4") == OutbreakSpec(villages=3, factor=2.5, weeks=4, district=TEJAKULA)
    assert outbreak_spec_parse(" 1:4:6 ", district="34.71.01").district == "34.71.01"


@pytest.mark.parametrize(("text", "district", "reason"), [
    ("3:3", TEJAKULA, "'3:3' is not VILLAGES:FACTOR:WEEKS"),
    ("", TEJAKULA, "is not VILLAGES:FACTOR:WEEKS"),
    ("a:3:3", TEJAKULA, "VILLAGES 'a' is not a whole number"),
    ("2.5:3:3", TEJAKULA, "VILLAGES '2.5' is not a whole number"),
    ("2:x:3", TEJAKULA, "FACTOR 'x' is not a number"),
    ("2:nan:3", TEJAKULA, "FACTOR 'nan' must lie between 1.5 and 10"),
    ("2:1:3", TEJAKULA, "FACTOR '1' must lie between 1.5 and 10"),
    ("0:3:3", TEJAKULA, "VILLAGES '0' must lie between 1 and 10"),
    ("2:3:13", TEJAKULA, "WEEKS '13' must lie between 1 and 12"),
    ("2:3:3", "51.08", "district '51.08' is not a district code"),
])
def test_bad_specs_are_refused_naming_the_part(text, district, reason):
    with pytest.raises(ValueError, match=reason.replace(".", r"\.")):
        outbreak_spec_parse(text, district=district)


@pytest.mark.parametrize(("args", "message"), [
    (["--plant-outbreak", "2:x:3"], "--plant-outbreak: FACTOR 'x' is not a number"),
    (["--plant-outbreak", "2:3"], "--plant-outbreak: '2:3' is not VILLAGES:FACTOR:WEEKS"),
    (["--plant-outbreak", "2:3:3", "--outbreak-district", "99.99.99"],
     "--outbreak-district: no district 99.99.99"),
    (["--plant-outbreak", "2:3:3", "--outbreak-district", "Tejakula"],
     "--outbreak-district: district 'Tejakula' is not a district code"),
    (["--outbreak-district", TEJAKULA], "--outbreak-district: only with --plant-outbreak"),
])
def test_the_command_refuses_bad_input_before_writing_anything(args, message):
    before = Report.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("simulate", *args)
    assert str(refused.value).startswith(message)
    assert Report.objects.count() == before


def test_a_district_with_too_few_villages_is_refused(today):
    small = (Region.objects.filter(level=3, code__startswith="51.").order_by("code")
             .values_list("code", flat=True))
    code = next(c for c in small if Region.objects.under(c).filter(level=4).count() < 10)
    with pytest.raises(CommandError, match=r"--plant-outbreak: district .* fewer than the 10 asked for"):
        call_command("simulate", "--plant-outbreak", "10:3:3", "--outbreak-district", code)
    with pytest.raises(OutbreakRefused):
        outbreak_plant(seed=1, spec=OutbreakSpec(villages=10, district=code))


def test_the_outbreak_asked_for_is_planted_and_found(today):
    villages = list(Region.objects.under(TEJAKULA).filter(level=4).values_list("code", flat=True))
    background(villages, weeks=40)
    spec = outbreak_spec_parse("4:3:5")
    _outbreak_plant(seed=5, spec=spec)  # what simulation_run calls with the option's spec
    planted = [v.code for v in outbreak_villages(4, TEJAKULA)]
    assert len(set(planted)) == 4
    assert outbreak_plant(seed=5, spec=spec) == 0  # safe to rerun
    zone = local_zone(8)  # Tejakula is WITA: the weeks are its own
    for k in range(7):
        monday = LAST - dt.timedelta(weeks=k)
        start = dt.datetime.combine(monday, dt.time(), tzinfo=zone)
        week = Report.objects.filter(village_id__in=planted, category__code="theft",
                                     created_at__gte=start, created_at__lt=start + dt.timedelta(weeks=1))
        per_village = [week.filter(village_id=v).count() for v in planted]
        if k < 5:
            assert all(n >= 3 for n in per_village), (k, per_village)  # 3 x a baseline floored at 1
        else:
            assert all(n <= 1 for n in per_village), (k, per_village)  # the quiet history only
    alarms = early_warning_run(week=LAST, today=TODAY, groups=("property",))
    assert any(set(planted) & set(a.villages) for a in alarms), [(a.region_id, a.villages) for a in alarms]
