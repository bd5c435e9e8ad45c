"""The demo generator: realistic activities for every posting, rosters, a disaster mode;
a second run adds nothing."""

import datetime as dt
import time

import pytest
from django.db.models import Count

from conftest import YEAR
from polmas.activities.models import Activity, DisasterMode, Roster, ShiftVolunteer
from polmas.policing.models import Assignment
from polmas.simulation.activities import activities_generate

pytestmark = pytest.mark.django_db


def test_generator_covers_every_posting_and_is_idempotent():
    began = time.monotonic()
    ticks: list[int] = []
    postings = activities_generate(provinces=["51"], year=YEAR, seed=7, progress=ticks.append)
    first_run = time.monotonic() - began
    count = Activity.objects.count()
    bali = Assignment.objects.filter(end__isnull=True, village__code__startswith="51.",
                                     officer__function="bhabinkamtibmas")
    assert postings == bali.count() == len(ticks) and count > postings * 52
    kinds = dict(Activity.objects.values_list("kind").annotate(n=Count("id")))
    assert set(kinds) == set(Activity.Kind.values) and kinds["visit"] > kinds["detection"]
    visited = set(Activity.objects.filter(kind="visit").values_list("village_id", flat=True).distinct())
    assert visited == set(bali.values_list("village_id", flat=True))
    assert not Activity.objects.filter(occurred_at__year__lt=YEAR).exists()
    assert not Activity.objects.filter(kind="visit", households__isnull=True).exists()
    les = Roster.objects.get(village_id="51.08.09.2007")
    assert les.shifts.count() == 28 * 2 and ShiftVolunteer.objects.filter(shift__roster=les).exists()
    assert DisasterMode.objects.filter(prefix="51.07.08", ended_at__isnull=True).count() == 1
    kubu = Roster.objects.get(village_id="51.07.08.2001")
    assert kubu.raised and kubu.cover == 4
    assert not Roster.objects.filter(village__code__startswith="34.").exists()

    again = activities_generate(provinces=["51"], year=YEAR, seed=7)
    assert again == postings and Activity.objects.count() == count
    assert Roster.objects.count() == 3 and DisasterMode.objects.count() == 1
    assert first_run < 60, f"{count} activities took {first_run:.0f}s"


def test_a_future_year_makes_no_activities():
    activities_generate(provinces=["34"], year=dt.date.today().year + 1, seed=7)
    assert not Activity.objects.exists()
    assert Roster.objects.filter(village__code__startswith="34.").count() == 1
