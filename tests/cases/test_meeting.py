"""An issue raised at an FKPM meeting becomes a tracked case in one step, and gets the case's
outcome when it closes ("you said, we did")."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.helpers import LES, walk
from conftest import person
from polmas.cases import services
from polmas.cases.models import Case
from polmas.forums.models import Forum, MeetingIssue
from polmas.forums.services import meeting_create, meeting_issue_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue() -> MeetingIssue:
    forum = Forum.objects.get(members__user=person("fkpm"))
    meeting, _ = meeting_create(actor=person("fkpm"), forum=forum, agenda="Keamanan pantai",
                                held_at=timezone.now() - dt.timedelta(days=2), status="held")
    return meeting_issue_add(actor=person("fkpm"), meeting_id=meeting.pk, version=None,
                             text="Parkir liar menutup jalan ke pura.", category_code="traffic")


@pytest.mark.parametrize("actor", ["fkpm", "bhabin"])
def test_a_meeting_issue_becomes_a_case_in_one_step(issue, actor):
    case = services.case_open(actor=person(actor), source="meeting", meeting_issue_id=issue.pk)
    assert (case.village_id, case.category.code, case.statement) == (LES, "traffic", issue.text)
    assert case.source == "meeting" and case.incidents_note
    assert case.assigned_officer.user == person("bhabin")
    issue.refresh_from_db()
    assert (issue.case_id, issue.outcome_status) == (case.pk, "in_progress")
    with pytest.raises(ValidationError) as err:
        services.case_open(actor=person(actor), source="meeting", meeting_issue_id=issue.pk)
    assert "meeting_issue_id" in err.value.message_dict
    assert Case.objects.count() == 1


def test_closing_the_case_publishes_the_outcome_to_the_issue(issue):
    case = services.case_open(actor=person("bhabin"), source="meeting", meeting_issue_id=issue.pk)
    walk(case, "closed")
    issue.refresh_from_db()
    assert issue.outcome_status == "resolved" and issue.outcome_public


def test_an_issue_outside_scope_is_refused(issue):
    with pytest.raises(ValidationError) as err:
        services.case_open(actor=person("kapolsek_depok"), source="meeting", meeting_issue_id=issue.pk)
    assert "meeting_issue_id" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.case_open(actor=person("bhabin"), source="meeting", statement="x", incidents_note="y",
                           village=LES, category="traffic")
    assert "meeting_issue_id" in err.value.message_dict
    assert not Case.objects.exists()
