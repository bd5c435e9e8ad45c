"""Rosters through the services: generation, shortages, swaps, check-ins, scope."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from conftest import person
from polmas.activities.models import Roster, ShiftVolunteer, Swap, Volunteer
from polmas.activities.rosters import (
    VolunteerInput,
    roster_check_in,
    roster_generate,
    roster_save,
    roster_swap,
)
from polmas.activities.selectors import roster_get, roster_table
from polmas.activities.services import Conflict

from .conftest import roster_input

pytestmark = pytest.mark.django_db


def _counts(roster: Roster) -> dict[int, int]:
    out = {v.pk: 0 for v in roster.volunteers.all()}
    for p in ShiftVolunteer.objects.filter(shift__roster=roster):
        out[p.volunteer_id] += 1
    return out


def test_generate_covers_every_post_night_fairly(roster):
    roster = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    assert roster.shifts.count() == 14 * 2 and roster.shortages == [] and roster.cover == 2
    assert all(s.places.count() == 2 for s in roster.shifts.all())
    counts = _counts(roster).values()
    assert max(counts) - min(counts) <= 1 and sum(counts) == 56
    table = roster_table(roster)
    assert len(table["rows"]) == 14 and [p.name for p in table["posts"]] == ["Pos Utara", "Pos Selatan"]


def test_same_input_same_rotation(roster):
    def snapshot():
        return sorted(ShiftVolunteer.objects.filter(shift__roster=roster).values_list(
            "night", "shift__post__name", "volunteer__name"))
    roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    first = snapshot()
    roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    assert snapshot() == first


def test_phone_is_encrypted_at_rest(roster):
    v = roster.volunteers.get(name="Warga 0")
    assert v.phone == "08123456789"
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM activities_volunteer WHERE id = %s", [v.pk])
        assert "08123456789" not in cur.fetchone()[0]


def test_infeasible_roster_says_which_nights_and_posts_are_short():
    data = roster_input(volunteers=[VolunteerInput(name=f"W{i}") for i in range(3)], nights=3)
    roster = roster_save(actor=person("bhabin"), data=data)
    roster = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    assert len(roster.shortages) == 3
    assert {s["post"] for s in roster.shortages} <= {"Pos Utara", "Pos Selatan"}
    assert all(s["assigned"] == 0 and s["needed"] == 2 for s in roster.shortages)
    assert not any(s.places.count() == 1 for s in roster.shifts.all())


@pytest.mark.parametrize("over, field", [
    ({"per_post": 1}, "per_post"), ({"nights": 0}, "nights"), ({"posts": []}, "posts"),
    ({"posts": ["A", "A"]}, "posts"), ({"weekdays": "79"}, "weekdays"),
    ({"volunteers": [VolunteerInput(name="X", phone="123")] * 3}, "volunteers"),
    ({"volunteers": [VolunteerInput(name="X", available="8")] * 3}, "volunteers"),
    ({"village": "51.08.01.2001"}, "village"),
    ({"start": dt.date(2001, 1, 1)}, "start"),
])
def test_bad_roster_input_is_refused(over, field):
    before = Roster.objects.count()
    with pytest.raises(ValidationError) as exc:
        roster_save(actor=person("bhabin"), data=roster_input(**over))
    assert field in exc.value.message_dict and Roster.objects.count() == before


def test_outsiders_and_residents_cannot_touch_a_roster(roster):
    for who in ("kapolsek_depok", "warga", "mitra"):
        assert roster_get(user=person(who), roster_id=roster.pk) is None
        with pytest.raises(Http404):
            roster_generate(actor=person(who), roster_id=roster.pk)
    with pytest.raises(ValidationError):
        roster_save(actor=person("kapolsek_depok"), data=roster_input())
    assert roster_get(user=person("fkpm"), roster_id=roster.pk) == roster


def test_editing_replaces_people_and_clears_shifts_with_a_version_check(roster):
    roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    roster.refresh_from_db()
    edited = roster_save(actor=person("fkpm"), roster_id=roster.pk, version=roster.version,
                         data=roster_input(posts=["Pos Baru"], nights=3))
    assert [p.name for p in edited.posts.all()] == ["Pos Baru"] and not edited.shifts.exists()
    assert edited.version == roster.version + 1
    with pytest.raises(Conflict):
        roster_save(actor=person("fkpm"), roster_id=roster.pk, version=roster.version, data=roster_input())
    with pytest.raises(ValidationError):
        roster_save(actor=person("bhabin"), roster_id=roster.pk, data=roster_input(village="51.08.09.2006"))


def test_stale_version_is_refused(roster):
    roster_generate(actor=person("bhabin"), roster_id=roster.pk, version=roster.version)
    with pytest.raises(Conflict):
        roster_generate(actor=person("bhabin"), roster_id=roster.pk, version=roster.version)


def _nights(volunteer_id: int) -> set[dt.date]:
    return set(ShiftVolunteer.objects.filter(volunteer_id=volunteer_id).values_list("night", flat=True))


def _two_places(roster):
    places = list(ShiftVolunteer.objects.filter(shift__roster=roster).select_related("shift")
                  .order_by("night", "shift__post__order", "id"))
    a = places[0]
    for b in places[1:]:
        nights_a, nights_b = _nights(a.volunteer_id), _nights(b.volunteer_id)
        if b.night != a.night and b.night not in nights_a and a.night not in nights_b \
                and b.night - a.night < dt.timedelta(days=7):  # a holds the first night: same week block
            return a, b
    raise AssertionError("no swappable pair")


def test_two_volunteers_swap_shifts(roster):
    roster = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    a, b = _two_places(roster)
    swap = roster_swap(actor=person("fkpm"), roster_id=roster.pk, first=a.pk, second=b.pk)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.shift_id, b.shift_id) == (swap.second_shift.pk, swap.first_shift.pk)
    assert a.night == swap.second_shift.night and Swap.objects.filter(roster=roster).count() == 1
    assert Roster.objects.get(pk=roster.pk).version == roster.version + 1


def test_swap_onto_an_unavailable_night_is_refused(roster):
    roster = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    a, b = _two_places(roster)
    Volunteer.objects.filter(pk=a.volunteer_id).update(
        available="".join(str(d) for d in range(7) if d != b.night.weekday()))
    with pytest.raises(ValidationError) as exc:
        roster_swap(actor=person("bhabin"), roster_id=roster.pk, first=a.pk, second=b.pk)
    assert "first" in exc.value.message_dict
    a.refresh_from_db()
    assert a.night != b.night and not Swap.objects.exists()


def test_swap_that_doubles_a_night_or_breaks_the_weekly_limit_is_refused(roster):
    roster = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    a = ShiftVolunteer.objects.filter(shift__roster=roster).order_by("night", "id").first()
    # b: someone else on a night when a already stands guard elsewhere... or the same shift.
    mine = set(ShiftVolunteer.objects.filter(volunteer_id=a.volunteer_id).values_list("night", flat=True))
    b = ShiftVolunteer.objects.filter(shift__roster=roster, night__in=mine - {a.night}).exclude(
        volunteer_id=a.volunteer_id).first()
    with pytest.raises(ValidationError) as exc:
        roster_swap(actor=person("bhabin"), roster_id=roster.pk, first=a.pk, second=b.pk)
    assert "first" in exc.value.message_dict


def test_check_in_records_the_time_once(roster):
    roster = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    today = ShiftVolunteer.objects.filter(shift__roster=roster, night=timezone.localdate()).first()
    place = roster_check_in(actor=person("fkpm"), roster_id=roster.pk, place=today.pk)
    first = place.checked_in_at
    assert first is not None and place.checked_in_by == person("fkpm")
    assert roster_check_in(actor=person("bhabin"), roster_id=roster.pk, place=today.pk).checked_in_at == first
    later = ShiftVolunteer.objects.filter(shift__roster=roster, night__gt=timezone.localdate()
                                          + dt.timedelta(days=1)).first()
    with pytest.raises(ValidationError):
        roster_check_in(actor=person("bhabin"), roster_id=roster.pk, place=later.pk)
    with pytest.raises(Http404):
        roster_check_in(actor=person("kapolsek_depok"), roster_id=roster.pk, place=today.pk)
    # Once someone has checked in, the rotation is not regenerated under them.
    with pytest.raises(ValidationError):
        roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    with pytest.raises(ValidationError):
        roster_swap(actor=person("bhabin"), roster_id=roster.pk, first=today.pk, second=later.pk)
