"""A forum member's personal data (UU 27/2022): find a person's memberships, export them,
erase them.

Erasure keeps the statistics: the membership stays (forum, role, group, dates, active) with
its attendance, and the person goes: the name becomes "[dihapus] #<id>" (names are unique in
a forum), phone, e-mail and the link to an account are emptied, and the name leaves the
action items they owned, the issues they raised and the minutes of their forum's meetings.
Rows are changed with update(): no rollup is recounted, as no counted column changes.

Phone and e-mail are encrypted (core.fields): members with a contact are compared decrypted,
a batch at a time; a name is compared in SQL (case-insensitively) and then exactly.
Requires: the caller decides who may ask (privacy.services: admins).
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from polmas.access.audit import audit_entry
from polmas.access.models import AuditEntry
from polmas.core.persons import ERASED, Person, canonical_name
from polmas.forums.models import Meeting, MeetingActionItem, MeetingIssue, Member

BATCH = 500
Progress = Callable[[int], None] | None


def member_ids_of_person(*, person: Person, progress: Progress = None) -> list[int]:
    """Ids of the memberships of `person` (see Person.matches)."""
    if person.by_name:
        rows = Member.objects.filter(name__iexact=person.name).only("pk", "name")
        return sorted(m.pk for m in rows if canonical_name(m.name) == canonical_name(person.name))
    found = []
    rows = Member.objects.filter(~Q(phone="", email="")).only("pk", "phone", "email").order_by("pk")
    for member in rows.iterator(chunk_size=BATCH):
        if person.matches(phone=member.phone, email=member.email):
            found.append(member.pk)
        if progress is not None:
            progress(1)
    return found


def members_to_compare(person: Person) -> int:
    """How many memberships a search for `person` compares one by one (a progress bar's total)."""
    return 0 if person.by_name else Member.objects.filter(~Q(phone="", email="")).count()


def _issues_raised(member: Member) -> list[MeetingIssue]:
    issues = MeetingIssue.objects.filter(meeting__forum_id=member.forum_id).exclude(raised_by="")
    return [i for i in issues.select_related("meeting")
            if canonical_name(i.raised_by) == canonical_name(member.name)]


def _actions_owned(member: Member):
    return MeetingActionItem.objects.filter(meeting__forum_id=member.forum_id,
                                            owner_name__iexact=member.name).select_related("meeting")


def member_record(member: Member) -> dict:
    """Everything a membership holds about its member, as plain JSON."""
    return {
        "type": "forum_member", "id": member.pk, "forum": member.forum.name,
        "forum_id": member.forum_id, "village": member.forum.village_id, "name": member.name,
        "role": member.role, "group": member.group, "phone": member.phone, "email": member.email,
        "active": member.active, "joined_on": member.joined_on.isoformat() if member.joined_on else None,
        "account": member.user.get_username() if member.user else None,
        "attendance": [{"meeting": a.meeting_id, "held_at": a.meeting.held_at.isoformat(),
                        "present": a.present}
                       for a in member.attendance.select_related("meeting").order_by("meeting__held_at")],
        "action_items": [{"meeting": a.meeting_id, "description": a.description, "status": a.status,
                          "due_on": a.due_on.isoformat() if a.due_on else None}
                         for a in _actions_owned(member)],
        "issues_raised": [{"meeting": i.meeting_id, "held_at": i.meeting.held_at.isoformat(),
                           "text": i.text, "category": i.category_code} for i in _issues_raised(member)],
    }


def members_export(*, actor: User | None, person: Person, ids: Iterable[int]) -> list[dict]:
    """The records of memberships `ids` (found by member_ids_of_person); each read is audited.
    Requires: the caller checked that `actor` may handle the request."""
    members = list(Member.objects.filter(pk__in=list(ids)).select_related("forum", "user").order_by("pk"))
    AuditEntry.objects.bulk_create([audit_entry(actor=actor, action="personal_data.export", obj=m,
                             region_code=m.forum.village_id, detail=person.describe()) for m in members])
    return [member_record(m) for m in members]


def _forget(member: Member, person: Person) -> None:
    own = Person(name=member.name, phone=member.phone, email=member.email)
    for issue in _issues_raised(member):
        MeetingIssue.objects.filter(pk=issue.pk).update(raised_by="")
    _actions_owned(member).update(owner_name=ERASED)
    for meeting in Meeting.objects.filter(forum_id=member.forum_id).exclude(minutes="").only("pk", "minutes"):
        minutes = person.scrub(own.scrub(meeting.minutes))
        if minutes != meeting.minutes:
            Meeting.objects.filter(pk=meeting.pk).update(minutes=minutes)
    Member.objects.filter(pk=member.pk).update(name=f"{ERASED} #{member.pk}", phone="", email="",
                                               user=None)


def members_erase(*, actor: User | None, person: Person, ids: Iterable[int], reason: str) -> list[int]:
    """Erase `person` from memberships `ids` (found by member_ids_of_person); one audit entry
    per membership. Requires: the caller checked that `actor` may handle the request; a reason."""
    with transaction.atomic():
        members = list(Member.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk"))
        villages = dict(Member.objects.filter(pk__in=[m.pk for m in members])
                        .values_list("pk", "forum__village_id"))
        for member in members:
            _forget(member, person)
        AuditEntry.objects.bulk_create([audit_entry(actor=actor, action="personal_data.erase", obj=m,
                                 region_code=villages[m.pk], reason=reason, detail=person.describe())
                     for m in members])
    return [m.pk for m in members]
