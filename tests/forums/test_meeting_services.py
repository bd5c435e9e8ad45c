"""Meeting writes: scope, idempotent resends, optimistic locking, owners, issues and cases."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import OUTSIDER, person
from forums.conftest import last_week
from forums.test_services import raw_column
from polmas.access.models import AuditEntry
from polmas.forums import selectors
from polmas.forums.models import Attendance, Meeting, MeetingActionItem, MeetingIssue
from polmas.forums.services import (
    Conflict,
    meeting_action_add,
    meeting_action_status_set,
    meeting_attendance_set,
    meeting_create,
    meeting_decision_add,
    meeting_issue_add,
    meeting_issue_link_case,
    meeting_issue_outcome_set,
    meeting_mark_held,
    meeting_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def snapshot(meeting: Meeting) -> tuple:
    meeting.refresh_from_db()
    return (meeting.version, meeting.agenda, meeting.minutes, meeting.place, meeting.held_at,
            meeting.decisions.count(), meeting.action_items.count(), meeting.issues.count(),
            meeting.attendance.count())


# --- who may write ---------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["fkpm", "bhabin", "kapolsek", "kapolres", "admin"])
def test_members_the_village_officer_and_supervisors_create_meetings(les_forum, username):
    meeting, created = meeting_create(actor=person(username), forum=les_forum, held_at=last_week(),
                                      agenda=" Rapat rutin ", status="held")

    assert created and (meeting.agenda, meeting.village_id) == ("Rapat rutin", les_forum.village_id)
    assert meeting.place == les_forum.meeting_place  # the forum's hall by default
    entry = AuditEntry.objects.get(action="meeting.create", object_id=str(meeting.pk))
    assert (entry.actor, entry.region_code) == (person(username), les_forum.village_id)


@pytest.mark.parametrize("username", [OUTSIDER, "warga", "mitra", "bappenas", "ppa"])
def test_everyone_else_is_refused_and_nothing_is_written(les_forum, username):
    with pytest.raises(PermissionDenied):
        meeting_create(actor=person(username), forum=les_forum, held_at=last_week(), agenda="x")
    assert not Meeting.objects.filter(forum=les_forum).exists()


def test_an_fkpm_member_keeps_only_their_own_forum(other_forum, held_meeting):
    with pytest.raises(PermissionDenied):
        meeting_create(actor=person("fkpm"), forum=other_forum, held_at=last_week(), agenda="x")
    # and the village officer of Les may not write in another district either
    with pytest.raises(PermissionDenied):
        meeting_create(actor=person("bhabin"), forum=other_forum, held_at=last_week(), agenda="x")
    with pytest.raises(PermissionDenied):
        meeting_update(actor=person(OUTSIDER), meeting_id=held_meeting.pk, version=None, minutes="x")
    assert held_meeting.minutes == Meeting.objects.get(pk=held_meeting.pk).minutes == ""


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "field"), [
    ({"agenda": "  "}, "agenda"),
    ({"agenda": "a\x00b"}, "agenda"),
    ({"agenda": "x" * 4001}, "agenda"),
    ({"status": "cancelled"}, "status"),
    ({"status": "held", "held_at": timezone.now() + dt.timedelta(days=2)}, "held_at"),
    ({"held_at": "2025-01-01"}, "held_at"),
])
def test_bad_meetings_are_refused_naming_the_field(les_forum, kwargs, field):
    args = {"held_at": last_week(), "agenda": "Rapat", **kwargs}
    with pytest.raises(ValidationError) as exc:
        meeting_create(actor=person("fkpm"), forum=les_forum, **args)
    assert field in exc.value.message_dict
    assert not Meeting.objects.filter(forum=les_forum).exists()


# --- idempotent resends ----------------------------------------------------------------------

def test_a_resent_uuid_with_the_same_content_returns_the_first_meeting(les_forum):
    key, when = uuid.uuid4(), last_week()
    first, created = meeting_create(actor=person("fkpm"), forum=les_forum, held_at=when, agenda="Ronda",
                                    client_uuid=key)
    again, created_again = meeting_create(actor=person("fkpm"), forum=les_forum, held_at=when,
                                          agenda=" Ronda", client_uuid=key)

    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Meeting.objects.filter(forum=les_forum).count() == 1
    assert AuditEntry.objects.filter(action="meeting.create", object_id=str(first.pk)).count() == 1


def test_a_resent_uuid_with_other_content_is_a_conflict_and_overwrites_nothing(les_forum):
    key, when = uuid.uuid4(), last_week()
    first, _ = meeting_create(actor=person("fkpm"), forum=les_forum, held_at=when, agenda="Ronda",
                              client_uuid=key)
    with pytest.raises(Conflict):
        meeting_create(actor=person("fkpm"), forum=les_forum, held_at=when, agenda="Parkir",
                       client_uuid=key)
    with pytest.raises(Conflict):
        meeting_create(actor=person("bhabin"), forum=les_forum, held_at=when + dt.timedelta(hours=1),
                       agenda="Ronda", client_uuid=key)

    first.refresh_from_db()
    assert (first.agenda, first.held_at, first.version) == ("Ronda", when, 1)
    assert Meeting.objects.filter(forum=les_forum).count() == 1


# --- optimistic locking ----------------------------------------------------------------------

def test_each_change_bumps_the_version_and_a_stale_one_is_a_conflict(held_meeting):
    actor = person("fkpm")
    meeting = meeting_update(actor=actor, meeting_id=held_meeting.pk, version=1,
                             minutes="Dibahas parkir liar di pasar.")
    assert meeting.version == 2
    before = snapshot(meeting)

    for write in (
        lambda: meeting_update(actor=actor, meeting_id=meeting.pk, version=1, minutes="ditimpa"),
        lambda: meeting_decision_add(actor=actor, meeting_id=meeting.pk, version=1, text="x"),
        lambda: meeting_action_add(actor=actor, meeting_id=meeting.pk, version=1, description="x",
                                   owner_name="Kelian"),
        lambda: meeting_issue_add(actor=actor, meeting_id=meeting.pk, version=1, text="x"),
        lambda: meeting_attendance_set(actor=actor, meeting_id=meeting.pk, version=1, present=[]),
    ):
        with pytest.raises(Conflict):
            write()
    assert snapshot(meeting) == before
    assert meeting.minutes == "Dibahas parkir liar di pasar."


def test_minutes_decisions_and_marking_held(les_forum):
    actor = person("bhabin")
    meeting, _ = meeting_create(actor=actor, forum=les_forum, held_at=last_week(), agenda="Rapat")
    assert meeting.status == "planned"
    meeting_decision_add(actor=actor, meeting_id=meeting.pk, version=1, text="Ronda dua kali seminggu")
    meeting_decision_add(actor=actor, meeting_id=meeting.pk, version=2, text="Pos ronda diperbaiki")
    meeting = meeting_mark_held(actor=actor, meeting_id=meeting.pk, version=3)

    assert (meeting.status, meeting.version) == ("held", 4)
    assert list(meeting.decisions.values_list("text", flat=True)) == [
        "Ronda dua kali seminggu", "Pos ronda diperbaiki"]


def test_a_meeting_planned_for_next_week_cannot_be_marked_held(les_forum):
    meeting, _ = meeting_create(actor=person("fkpm"), forum=les_forum, agenda="Rapat",
                                held_at=timezone.now() + dt.timedelta(days=7))
    with pytest.raises(ValidationError) as exc:
        meeting_mark_held(actor=person("fkpm"), meeting_id=meeting.pk, version=1)
    assert "held_at" in exc.value.message_dict
    meeting.refresh_from_db()
    assert (meeting.status, meeting.version) == ("planned", 1)


# --- attendance ------------------------------------------------------------------------------

def test_attendance_records_members_by_name_and_others_by_gender(held_meeting, les_forum):
    members = list(les_forum.members.filter(active=True).order_by("pk"))
    came = [members[0].pk, members[1].pk]
    meeting = meeting_attendance_set(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                                     present=came, others_men=12, others_women=9, others_unspecified=1)

    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    assert rows == {m.pk: m.pk in came for m in members}
    assert (meeting.others_men, meeting.others_women, meeting.others_total) == (12, 9, 22)

    # recorded again: one row per member still, the new answer wins
    meeting_attendance_set(actor=person("fkpm"), meeting_id=meeting.pk, version=2, present=[members[2].pk])
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    assert [pk for pk, present in rows.items() if present] == [members[2].pk]
    assert len(rows) == len(members)


def test_attendance_refuses_strangers_and_negative_counts(held_meeting, other_forum):
    stranger = other_forum.members.first()
    with pytest.raises(ValidationError) as exc:
        meeting_attendance_set(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                               present=[stranger.pk])
    assert "present" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        meeting_attendance_set(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                               present=[], others_women=-3)
    assert "others_women" in exc.value.message_dict
    assert snapshot(held_meeting)[0] == 1 and not held_meeting.attendance.exists()


# --- action items ----------------------------------------------------------------------------

def test_an_action_without_an_owner_is_refused(held_meeting):
    for owner in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            meeting_action_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                               description="Perbaiki lampu jalan", owner_name=owner)
        assert exc.value.message_dict["owner_name"] == ["Every action needs an owner."]
    assert not MeetingActionItem.objects.filter(meeting=held_meeting).exists()
    assert snapshot(held_meeting)[0] == 1


def test_an_action_with_owner_and_due_date_moves_on(held_meeting):
    due = timezone.localdate() + dt.timedelta(days=14)
    item = meeting_action_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                              description="Perbaiki lampu jalan", owner_name="Perbekel Desa Les",
                              due_on=due)
    assert (item.owner_name, item.due_on, item.status) == ("Perbekel Desa Les", due, "open")
    with pytest.raises(ValidationError):
        meeting_action_status_set(actor=person("fkpm"), action_id=item.pk, version=2, status="finished")
    item = meeting_action_status_set(actor=person("fkpm"), action_id=item.pk, version=2, status="done")
    assert item.status == "done" and snapshot(held_meeting)[0] == 3


# --- issues raised ---------------------------------------------------------------------------

def test_an_issue_keeps_its_category_and_a_sensitive_category_seals_it(held_meeting):
    plain = meeting_issue_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                              text="Parkir liar di depan pasar", category_code="traffic",
                              raised_by="Wayan Sudarma")
    hidden = meeting_issue_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=2,
                               text="Tetangga sering memukul istrinya", category_code="domestic_violence",
                               sensitive=False)

    assert (plain.sensitive, hidden.sensitive) == (False, True)
    # the text and the resident's name are encrypted at rest, and kept out of the audit log
    assert raw_column(MeetingIssue, "text", plain.pk).startswith("gAAAAA")
    assert raw_column(MeetingIssue, "raised_by", plain.pk).startswith("gAAAAA")
    entries = AuditEntry.objects.filter(action="meeting.issue_add")
    assert not any("memukul" in str(e.detail) or "Sudarma" in str(e.detail) for e in entries)


def test_an_unknown_category_is_refused(held_meeting):
    with pytest.raises(ValidationError) as exc:
        meeting_issue_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1, text="x",
                          category_code="aliens")
    assert "category_code" in exc.value.message_dict
    assert not held_meeting.issues.exists()


def test_the_cases_app_links_a_case_and_publishes_outcomes(held_meeting):
    issue = meeting_issue_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                              text="Balap liar tiap malam Minggu", category_code="traffic")
    issue = meeting_issue_link_case(issue_id=issue.pk, case_id=41, actor=person("bhabin"))
    assert (issue.case_id, issue.outcome_status) == (41, "in_progress")
    assert meeting_issue_link_case(issue_id=issue.pk, case_id=41).case_id == 41  # again: no change
    with pytest.raises(ValidationError) as exc:
        meeting_issue_link_case(issue_id=issue.pk, case_id=42)
    assert "case_id" in exc.value.message_dict

    issue = meeting_issue_outcome_set(issue_id=issue.pk, status="resolved",
                                      outcome_public="Polisi tidur dipasang di jalan desa.")
    issue.refresh_from_db()
    assert (issue.case_id, issue.outcome_status, issue.outcome_public) == (
        41, "resolved", "Polisi tidur dipasang di jalan desa.")
    with pytest.raises(ValidationError):
        meeting_issue_outcome_set(issue_id=issue.pk, status="forgotten")


def test_a_sensitive_issue_never_gets_a_public_outcome_text(held_meeting):
    issue = meeting_issue_add(actor=person("bhabin"), meeting_id=held_meeting.pk, version=1,
                              text="Anak tetangga dianiaya", sensitive=True)
    issue = meeting_issue_outcome_set(issue_id=issue.pk, status="referred",
                                      outcome_public="Dirujuk ke UPTD PPA Buleleng")
    issue.refresh_from_db()
    assert (issue.outcome_status, issue.outcome_public) == ("referred", "")


# --- reads -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "sees", "reads_sensitive"), [
    ("fkpm", True, False), ("bhabin", True, True), ("kapolsek", True, False), ("ppa", True, True),
    (OUTSIDER, False, False), ("warga", False, False), ("mitra", False, False),
])
def test_who_reads_meetings(held_meeting, username, sees, reads_sensitive):
    user = person(username)
    assert (selectors.meeting_get(user=user, meeting_id=held_meeting.pk) is not None) == sees
    assert selectors.sensitive_text_visible(user) == reads_sensitive
