"""Writes to FKPM forums and their members: validated, scoped, audited.

Keyword arguments only, one transaction each. `actor=None` is the system (imports, demo).
A write outside the actor's scope raises PermissionDenied, which callers answer with 404.
"""

import datetime as dt
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.core.errors import Conflict as BaseConflict
from polmas.core.scope import any_covers
from polmas.core.scrub import scrub, sensitive_text
from polmas.core.validators import validate_email_address, validate_phone
from polmas.forums.models import (
    Attendance,
    CaseStage,
    Decision,
    Forum,
    Meeting,
    MeetingActionItem,
    MeetingIssue,
    Member,
    PublishedCase,
)
from polmas.forums.selectors import public_forum_of_village
from polmas.policing.models import PoliceUnit
from polmas.policing.tree import unit_for_region
from polmas.regions import codes
from polmas.regions.models import Region

# Roles that may set up forums and keep their membership, within their scope.
FORUM_MANAGERS = ("admin", "supervisor", "bhabinkamtibmas")


def _require_forum_manager(actor: User | None, village_code: str) -> None:
    if actor is None:  # system jobs act with full right
        return
    scope = scope_for(actor)
    if not (scope.has("admin") or (scope.has(*FORUM_MANAGERS) and scope.covers(village_code))):
        raise PermissionDenied(_("You may not manage forums in %(code)s.") % {"code": village_code})


def _check_model_fields(model: str, zone_kind: str, local_name: str) -> None:
    if model not in Forum.Model.values:
        raise ValidationError({"model": _("%(value)s is not a forum model.") % {"value": model}})
    if model == Forum.Model.ZONE:
        if not zone_kind:
            raise ValidationError({"zone_kind": _("A zone forum needs a zone kind.")})
        if zone_kind not in Forum.ZoneKind.values:
            raise ValidationError({"zone_kind": _("%(value)s is not a zone kind.") % {"value": zone_kind}})
    elif zone_kind:
        raise ValidationError({"zone_kind": _("Only zone forums have a zone kind.")})
    if model == Forum.Model.CUSTOMARY and not local_name:
        raise ValidationError({"local_name": _(
            "A customary institution needs its local name (e.g. pecalang)."
        )})


def _not_in_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date %(date)s lies in the future.")
                               % {"date": day.isoformat()}})


@transaction.atomic
def forum_create(*, actor: User | None, village: Region, name: str, model: str = Forum.Model.AREA,
                 zone_kind: str = "", local_name: str = "", unit: PoliceUnit | None = None,
                 status: str = Forum.Status.ACTIVE, founded_on: dt.date | None = None,
                 meeting_place: str = "") -> Forum:
    """Register a forum in a village; without `unit`, the Polsek covering the village supports it.
    Requires: admin, or supervisor / Bhabinkamtibmas whose scope covers the village."""
    _require_forum_manager(actor, village.code)
    if village.level != codes.VILLAGE:
        raise ValidationError({"village": _("%(code)s is not a village.") % {"code": village.code}})
    name, local_name = (name or "").strip(), (local_name or "").strip()
    _check_model_fields(model, zone_kind, local_name)
    if unit is None:
        unit = unit_for_region(code=village.code, kind=PoliceUnit.Kind.POLSEK)
    elif not any_covers(unit.prefixes(), village.code):
        raise ValidationError({"unit": _("%(unit)s does not cover village %(code)s.")
                               % {"unit": unit, "code": village.code}})
    _not_in_future(founded_on, "founded_on")
    duplicate = ValidationError({"name": _("Village %(code)s already has a forum named %(name)s.")
                                 % {"code": village.code, "name": name}})
    if name and Forum.objects.filter(village=village, name=name).exists():
        raise duplicate
    forum = Forum(village=village, name=name, model=model, zone_kind=zone_kind, local_name=local_name,
                  unit=unit, status=status, founded_on=founded_on,
                  meeting_place=(meeting_place or "").strip())
    forum.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            forum.save()
    except IntegrityError:
        raise duplicate from None
    audit_record(actor=actor, action="forum.create", obj=forum, region_code=village.code,
                 detail={"model": model})
    return forum


@transaction.atomic
def forum_member_add(*, actor: User | None, forum: Forum, name: str, group: str,
                     role: str = Member.Role.MEMBER, phone: str = "", email: str = "",
                     joined_on: dt.date | None = None, user: User | None = None) -> Member:
    """Add a member; phone and e-mail are stored encrypted and never written to the audit log.
    A forum has one active chair. Requires: forum manager whose scope covers the forum's village."""
    _require_forum_manager(actor, forum.village_id)
    if forum.status == Forum.Status.DISSOLVED:
        raise ValidationError({"forum": _("%(forum)s is dissolved.") % {"forum": forum}})
    name = (name or "").strip()
    duplicate = ValidationError({"name": _("%(name)s is already a member of %(forum)s.")
                                 % {"name": name, "forum": forum}})
    if name and forum.members.filter(name=name).exists():
        raise duplicate
    member = Member(forum=forum, name=name, group=group, role=role, phone=validate_phone(phone),
                    email=validate_email_address(email), joined_on=joined_on, user=user)
    member.full_clean(validate_unique=False)
    _not_in_future(joined_on, "joined_on")
    if role == Member.Role.CHAIR and forum.members.filter(role=role, active=True).exists():
        raise ValidationError({"role": _("%(forum)s already has a chair.") % {"forum": forum}})
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise duplicate from None
    audit_record(actor=actor, action="forum.member_add", obj=member, region_code=forum.village_id,
                 detail={"forum": forum.pk, "role": role})
    return member


# --- meetings --------------------------------------------------------------------------------

class Conflict(BaseConflict):
    """The meeting changed since the caller read it, or a resent UUID carries other content."""


MEETING_POLICE = ("supervisor", "bhabinkamtibmas")


def can_write_meetings(actor: User | None, forum: Forum) -> bool:
    """Admin; a supervisor or Bhabinkamtibmas whose scope covers the forum's village; or an
    active member of this very forum holding the FKPM member role."""
    if actor is None:
        return True
    scope = scope_for(actor)
    if scope.has("admin"):
        return True
    if scope.has(*MEETING_POLICE) and scope.covers(forum.village_id):
        return True
    return scope.has("fkpm_member") and forum.members.filter(user=actor, active=True).exists()


def _require_meeting_writer(actor: User | None, forum: Forum) -> None:
    if not can_write_meetings(actor, forum):
        # Callers answer 404: a forum one may not keep is not revealed.
        raise PermissionDenied(_("You may not keep the meetings of this forum."))


def _category(code: str):
    """The reports.Category with `code`, read through the app registry: forums sits below
    reports and may not import it (see MeetingIssue)."""
    from django.apps import apps

    Category = apps.get_model("reports", "Category")
    return Category.objects.filter(code=code, active=True).first()


def _text(value: str | None, field: str, *, required: bool = False, limit: int = 4000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(limit)s characters.") % {"limit": limit}})
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise ValidationError({field: _("Contains characters that are not allowed.")})
    return value


def _count(value: int, field: str) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise ValidationError({field: _("Must be a whole number from 0 to 100000.")})
    return value


def _locked(actor: User | None, meeting_id: int, version: int | None) -> Meeting:
    """The meeting, locked for update, after the permission and version checks."""
    meeting = (Meeting.objects.select_for_update().select_related("forum")
               .filter(pk=meeting_id).first())
    if meeting is None:
        raise Meeting.DoesNotExist
    _require_meeting_writer(actor, meeting.forum)
    if version is not None and meeting.version != version:
        raise Conflict(_("This meeting was changed by someone else; reload it and try again."))
    return meeting


def _bump(meeting: Meeting, *fields: str) -> None:
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version", "updated_at"])


def _meeting_fields(held_at: dt.datetime, agenda: str, place: str, status: str) -> dict:
    if not isinstance(held_at, dt.datetime):
        raise ValidationError({"held_at": _("A date and time is required.")})
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if status not in Meeting.Status.values:
        raise ValidationError({"status": _("%(value)s is not a meeting status.") % {"value": status}})
    if status == Meeting.Status.HELD and held_at > timezone.now():
        raise ValidationError({"held_at": _("A meeting in the future cannot have been held yet.")})
    return {"held_at": held_at, "agenda": _text(agenda, "agenda", required=True),
            "place": _text(place, "place", limit=150), "status": status}


@transaction.atomic
def meeting_create(*, actor: User | None, forum: Forum, held_at: dt.datetime, agenda: str,
                   place: str = "", status: str = Meeting.Status.PLANNED,
                   client_uuid: uuid.UUID | None = None) -> tuple[Meeting, bool]:
    """Plan (or record) a meeting of `forum`; returns (meeting, created).

    With `client_uuid`, a resend is safe: the same UUID with the same content returns the
    meeting recorded the first time (created=False); the same UUID with other content raises
    Conflict and changes nothing. Requires: can_write_meetings."""
    _require_meeting_writer(actor, forum)
    if forum.status == Forum.Status.DISSOLVED:
        raise ValidationError({"forum": _("%(forum)s is dissolved.") % {"forum": forum}})
    fields = _meeting_fields(held_at, agenda, place or forum.meeting_place, status)

    def same(existing: Meeting) -> Meeting:
        if (existing.forum_id, existing.held_at, existing.agenda, existing.place, existing.status) != (
                forum.pk, fields["held_at"], fields["agenda"], fields["place"], fields["status"]):
            raise Conflict(_("This meeting was already sent with other content."))
        return existing

    if client_uuid is not None:
        existing = Meeting.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return same(existing), False
    meeting = Meeting(forum=forum, village_id=forum.village_id, client_uuid=client_uuid,
                      created_by=actor if actor is not None and actor.is_authenticated else None,
                      **fields)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # the same UUID, sent twice at once
        existing = Meeting.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return same(existing), False
    audit_record(actor=actor, action="meeting.create", obj=meeting, region_code=meeting.village_id,
                 detail={"forum": forum.pk, "status": meeting.status})
    return meeting, True


@transaction.atomic
def meeting_update(*, actor: User | None, meeting_id: int, version: int | None,
                   held_at: dt.datetime | None = None, agenda: str | None = None,
                   place: str | None = None, minutes: str | None = None) -> Meeting:
    """Change the time, agenda, place or minutes (only the arguments given)."""
    meeting = _locked(actor, meeting_id, version)
    changed = []
    if held_at is not None or agenda is not None or place is not None:
        fields = _meeting_fields(held_at if held_at is not None else meeting.held_at,
                                 agenda if agenda is not None else meeting.agenda,
                                 place if place is not None else meeting.place, meeting.status)
        for name in ("held_at", "agenda", "place"):
            if getattr(meeting, name) != fields[name]:
                setattr(meeting, name, fields[name])
                changed.append(name)
    if minutes is not None:
        minutes = _text(minutes, "minutes", limit=20000)
        if minutes != meeting.minutes:
            meeting.minutes = minutes
            changed.append("minutes")
    if changed:
        _bump(meeting, *changed)
        audit_record(actor=actor, action="meeting.update", obj=meeting,
                     region_code=meeting.village_id, detail={"fields": changed})
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: User | None, meeting_id: int, version: int | None) -> Meeting:
    meeting = _locked(actor, meeting_id, version)
    if meeting.status == Meeting.Status.HELD:
        return meeting
    if meeting.held_at > timezone.now():
        raise ValidationError({"held_at": _("A meeting in the future cannot have been held yet.")})
    meeting.status = Meeting.Status.HELD
    _bump(meeting, "status")
    audit_record(actor=actor, action="meeting.held", obj=meeting, region_code=meeting.village_id)
    return meeting


@transaction.atomic
def meeting_attendance_set(*, actor: User | None, meeting_id: int, version: int | None,
                           present: list[int], others_men: int = 0, others_women: int = 0,
                           others_unspecified: int = 0) -> Meeting:
    """Record who came: `present` lists the ids of members who attended (every other active
    member is recorded absent); residents and guests are counted by gender, without names."""
    meeting = _locked(actor, meeting_id, version)
    counts = {"others_men": _count(others_men, "others_men"),
              "others_women": _count(others_women, "others_women"),
              "others_unspecified": _count(others_unspecified, "others_unspecified")}
    members = {m.pk: m for m in meeting.forum.members.all()}
    wanted = set(present or [])
    unknown = sorted(wanted - set(members))
    if unknown:
        raise ValidationError({"present": _("Not members of this forum: %(ids)s.")
                               % {"ids": ", ".join(map(str, unknown))}})
    rows = {m.pk: m for m in members.values() if m.active or m.pk in wanted}
    Attendance.objects.filter(meeting=meeting).exclude(member_id__in=rows).delete()
    current = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    for pk in rows:
        row = current.get(pk)
        if row is None:
            Attendance.objects.create(meeting=meeting, member_id=pk, present=pk in wanted)
        elif row.present != (pk in wanted):
            row.present = pk in wanted
            row.save(update_fields=["present"])
    for name, value in counts.items():
        setattr(meeting, name, value)
    _bump(meeting, *counts)
    audit_record(actor=actor, action="meeting.attendance", obj=meeting,
                 region_code=meeting.village_id,
                 detail={"members_present": len(wanted), "others": meeting.others_total})
    return meeting


@transaction.atomic
def meeting_decision_add(*, actor: User | None, meeting_id: int, version: int | None,
                         text: str) -> Decision:
    meeting = _locked(actor, meeting_id, version)
    decision = Decision.objects.create(meeting=meeting, text=_text(text, "text", required=True,
                                                                   limit=2000),
                                       position=meeting.decisions.count() + 1)
    _bump(meeting)
    audit_record(actor=actor, action="meeting.decision_add", obj=decision,
                 region_code=meeting.village_id, detail={"meeting": meeting.pk})
    return decision


def _action_status(status: str) -> str:
    if status not in MeetingActionItem.Status.values:
        raise ValidationError({"status": _("%(value)s is not an action status.") % {"value": status}})
    return status


@transaction.atomic
def meeting_action_add(*, actor: User | None, meeting_id: int, version: int | None,
                       description: str, owner_name: str, due_on: dt.date | None = None,
                       status: str = MeetingActionItem.Status.OPEN) -> MeetingActionItem:
    """Add an action item; every action needs an owner (a person or body, by name)."""
    meeting = _locked(actor, meeting_id, version)
    fields = {"description": _text(description, "description", required=True, limit=2000),
              "owner_name": _text(owner_name, "owner_name", limit=150)}
    if not fields["owner_name"]:
        raise ValidationError({"owner_name": _("Every action needs an owner.")})
    if due_on is not None and not isinstance(due_on, dt.date):
        raise ValidationError({"due_on": _("Must be a date.")})
    item = MeetingActionItem.objects.create(meeting=meeting, due_on=due_on,
                                            status=_action_status(status),
                                            position=meeting.action_items.count() + 1, **fields)
    _bump(meeting)
    audit_record(actor=actor, action="meeting.action_add", obj=item, region_code=meeting.village_id,
                 detail={"meeting": meeting.pk})
    return item


@transaction.atomic
def meeting_action_status_set(*, actor: User | None, action_id: int, version: int | None,
                              status: str) -> MeetingActionItem:
    """Move an action item on; `version` is its meeting's version."""
    item = MeetingActionItem.objects.filter(pk=action_id).only("meeting_id").first()
    if item is None:
        raise MeetingActionItem.DoesNotExist
    meeting = _locked(actor, item.meeting_id, version)
    item = MeetingActionItem.objects.get(pk=action_id)
    item.status = _action_status(status)
    item.save(update_fields=["status"])
    _bump(meeting)
    audit_record(actor=actor, action="meeting.action_status", obj=item,
                 region_code=meeting.village_id, detail={"status": status})
    return item


@transaction.atomic
def meeting_issue_add(*, actor: User | None, meeting_id: int, version: int | None, text: str,
                      category_code: str = "", raised_by: str = "",
                      sensitive: bool = False) -> MeetingIssue:
    """Record an issue residents raised. A sensitive category makes it sensitive whatever the
    caller says; the text and the resident's name are encrypted and never audited."""
    meeting = _locked(actor, meeting_id, version)
    text = _text(text, "text", required=True, limit=2000)
    category_code = (category_code or "").strip()
    if category_code:
        category = _category(category_code)
        if category is None:
            raise ValidationError({"category_code": _("No category has code %(code)s.")
                                   % {"code": category_code}})
        sensitive = bool(sensitive) or category.sensitive
    issue = MeetingIssue.objects.create(
        meeting=meeting, text=text, category_code=category_code,
        raised_by=_text(raised_by, "raised_by", limit=150), sensitive=bool(sensitive),
        position=meeting.issues.count() + 1,
    )
    _bump(meeting)
    audit_record(actor=actor, action="meeting.issue_add", obj=issue, region_code=meeting.village_id,
                 detail={"meeting": meeting.pk, "category": category_code, "sensitive": issue.sensitive})
    return issue


# --- called by the cases app (which sits above forums) ------------------------------------------

@transaction.atomic
def meeting_issue_link_case(*, issue_id: int, case_id: int, actor: User | None = None) -> MeetingIssue:
    """Record that case `case_id` now tracks the issue; an open issue becomes in progress.
    Linking the same case again changes nothing; another case is refused (field `case_id`).
    The caller (the cases service) has checked its own permission."""
    issue = MeetingIssue.objects.select_for_update().select_related("meeting").get(pk=issue_id)
    if not isinstance(case_id, int) or isinstance(case_id, bool) or case_id < 1:
        raise ValidationError({"case_id": _("Must be a case id.")})
    if issue.case_id == case_id:
        return issue
    if issue.case_id is not None:
        raise ValidationError({"case_id": _("This issue is already tracked by case %(id)s.")
                               % {"id": issue.case_id}})
    issue.case_id = case_id
    fields = ["case_id"]
    if issue.outcome_status == MeetingIssue.OutcomeStatus.OPEN:
        issue.outcome_status, issue.outcome_at = MeetingIssue.OutcomeStatus.IN_PROGRESS, timezone.now()
        fields += ["outcome_status", "outcome_at"]
    issue.save(update_fields=fields)
    audit_record(actor=actor, action="meeting.issue_case", obj=issue,
                 region_code=issue.meeting.village_id, detail={"case": case_id})
    return issue


@transaction.atomic
def meeting_issue_outcome_set(*, issue_id: int, status: str, outcome_public: str = "",
                              actor: User | None = None) -> MeetingIssue:
    """Publish where the issue stands (open, in_progress, resolved, referred) and, for a
    non-sensitive issue, a short outcome for the forum's "you said, we did" page.

    For a sensitive issue the public text is dropped, never stored: the public learns only that
    a sensitive matter is being handled."""
    issue = MeetingIssue.objects.select_for_update().select_related("meeting").get(pk=issue_id)
    if status not in MeetingIssue.OutcomeStatus.values:
        raise ValidationError({"status": _("%(value)s is not an outcome status.") % {"value": status}})
    issue.outcome_status = status
    issue.outcome_public = "" if issue.sensitive else _text(outcome_public, "outcome_public", limit=1000)
    issue.outcome_at = timezone.now()
    issue.save(update_fields=["outcome_status", "outcome_public", "outcome_at"])
    audit_record(actor=actor, action="meeting.issue_outcome", obj=issue,
                 region_code=issue.meeting.village_id, detail={"status": status})
    return issue


@transaction.atomic
def case_progress_publish(*, case_id: int, village_code: str, stage: str, sensitive: bool,
                          from_reports: bool, opened_at: dt.datetime, category_code: str = "",
                          said: str = "", status: str = "in_progress", outcome_public: str = "",
                          names: list[str] | None = None) -> PublishedCase | None:
    """Follow a case on the forums' public pages: the stage of the meeting issues it tracks and,
    for a case from residents' reports, its entry on its village forum's page ("you said, we
    did"). A sensitive case is never published, and an earlier entry of one is removed.
    A system write: the cases app calls it after checking its own caller."""
    if stage not in CaseStage.values:
        raise ValidationError({"stage": _("%(value)s is not a stage.") % {"value": stage}})
    if status not in MeetingIssue.OutcomeStatus.values:
        raise ValidationError({"status": _("%(value)s is not an outcome status.") % {"value": status}})
    MeetingIssue.objects.filter(case_id=case_id).update(case_stage=stage)
    forum = public_forum_of_village(village_code=village_code) if from_reports and not sensitive else None
    if forum is None:
        PublishedCase.objects.filter(case_id=case_id).delete()
        return None
    # Words that tell of a sensitive matter under an ordinary category are not published.
    said = "" if sensitive_text(said) else scrub(said, names=names)[:1000]
    outcome = "" if sensitive_text(outcome_public) else scrub(outcome_public)[:1000]
    item, _created = PublishedCase.objects.update_or_create(case_id=case_id, defaults={
        "forum": forum, "category_code": category_code[:40], "said": said, "stage": stage,
        "outcome_status": status, "outcome_public": outcome, "opened_at": opened_at,
        "outcome_at": timezone.now()})
    return item
