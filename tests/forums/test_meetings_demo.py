"""The demo meeting generator: realistic, idempotent, and the fkpm account's forum is busy."""

import pytest
from django.db.models import Count

from conftest import SEED, YEAR, person
from polmas.core.scope import prefix_q
from polmas.forums import selectors
from polmas.forums.models import Attendance, Meeting, MeetingActionItem, MeetingIssue
from polmas.simulation.meetings import meetings_generate

pytestmark = pytest.mark.django_db
TEJAKULA = "51.08.09"


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Meeting, Attendance, MeetingActionItem, MeetingIssue))


def test_meetings_for_a_district_and_a_rerun_adds_nothing(les_forum):
    ticks: list[int] = []
    made = meetings_generate(provinces=[TEJAKULA], year=YEAR, seed=SEED, progress=ticks.append)
    assert made > 0 and sum(ticks) > 0
    before = counts()
    assert meetings_generate(provinces=[TEJAKULA], year=YEAR, seed=SEED) == 0
    assert counts() == before

    meetings = Meeting.objects.filter(prefix_q("village_id", [TEJAKULA]))
    assert meetings.count() == made
    assert not Meeting.objects.exclude(prefix_q("village_id", [TEJAKULA])).exists()
    assert all(m.held_at.year == YEAR and m.village_id == m.forum.village_id
               for m in meetings.select_related("forum"))
    # every action has an owner, every held meeting its minutes
    assert not MeetingActionItem.objects.filter(owner_name="").exists()
    assert not meetings.filter(status="held", minutes="").exists()


def test_the_fkpm_forum_meets_monthly_with_issues_some_sealed(les_forum, client):
    meetings_generate(provinces=[TEJAKULA], year=YEAR, seed=SEED)
    meetings = Meeting.objects.filter(forum=les_forum)
    assert meetings.count() == 12
    assert meetings.annotate(n=Count("issues")).filter(n__gte=2).count() == 12
    issues = MeetingIssue.objects.filter(meeting__forum=les_forum)
    sealed = issues.filter(sensitive=True)
    assert sealed.exists() and not sealed.exclude(outcome_public="").exists()
    assert issues.filter(outcome_status="resolved").exclude(outcome_public="").exists()
    assert Attendance.objects.filter(meeting__forum=les_forum, member__user=person("fkpm")).count() == 12

    # the demo account reads them, and the public page shows outcomes but nothing sealed
    assert selectors.meeting_list(user=person("fkpm"), forum_id=les_forum.pk).count() == 12
    page = client.get(f"/forum/{les_forum.pk}/kami-bertindak/").content.decode()
    assert issues.filter(outcome_status="resolved").exclude(outcome_public="").first().outcome_public in page
    assert "dipukul" not in page and "dianiaya" not in page
    for name in issues.exclude(raised_by="").values_list("raised_by", flat=True)[:20]:
        assert name not in page


def test_a_different_seed_or_year_adds_its_own_meetings(les_forum):
    first = meetings_generate(provinces=["51.08.09.2007"], year=YEAR, seed=SEED)
    assert meetings_generate(provinces=["51.08.09.2007"], year=YEAR - 1, seed=SEED) == first
