"""The record kinds the sync carries: for each, the body its own endpoint accepts (validated
with that endpoint's schema), where its village and date are, and the service that stores it.

Every `store` returns (object id, created) and raises the services' own refusals
(ValidationError, Conflict, PermissionDenied, Http404), which sync.py turns into answers."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from polmas.activities import rosters
from polmas.activities import services as activity_services
from polmas.activities.api_schemas import ActivityIn, CheckInIn
from polmas.cases import services as case_services
from polmas.cases.api_schemas import ActionIn
from polmas.core.api import MAX_ID, PRINTABLE, TEXT
from polmas.core.photos import PhotoError, photo_clean
from polmas.forums import selectors as forum_selectors
from polmas.forums import services as forum_services
from polmas.forums.api import IssueIn, MeetingIn
from polmas.partners import services as partner_services
from polmas.partners.api import PartnerActivityIn
from polmas.reports.api_schemas import ReportIn
from polmas.reports.intake import IntakeError, ReportInput, report_submit
from polmas.reports.models import Report
from polmas.surveys import collection as survey_collection
from polmas.surveys.api import InterviewIn

# --- bodies the endpoints have no single schema for --------------------------------------------

class AttendanceBody(Schema):
    present: list[int] = Field(default_factory=list, max_length=500)
    others_men: int = Field(0, ge=0, le=100_000)
    others_women: int = Field(0, ge=0, le=100_000)
    others_unspecified: int = Field(0, ge=0, le=100_000)


class IssueBody(IssueIn):
    version: int | None = None  # IssueIn's version: the meeting is new, so none is needed


class MeetingBody(MeetingIn):
    """POST /forums/{forum_id}/meetings, with the forum in the body and the meeting's record
    (minutes, attendance, decisions, issues raised) that its other endpoints take."""

    forum_id: int = Field(ge=1, le=MAX_ID)
    minutes: str = Field("", max_length=20000, json_schema_extra={"pattern": TEXT})
    attendance: AttendanceBody | None = None
    decisions: list[str] = Field(default_factory=list, max_length=50)
    issues: list[IssueBody] = Field(default_factory=list, max_length=50)


class CheckInBody(CheckInIn):
    """POST /rosters/{roster_id}/check-in, with the roster in the body."""

    roster_id: int = Field(ge=1, le=MAX_ID)
    client_uuid: uuid.UUID


class CaseNoteBody(ActionIn):
    """A note (`note`) or an action (POST /cases/{case_id}/actions) on an open case."""

    model_config = {}
    case_id: int = Field(ge=1, le=MAX_ID)
    note: str = Field("", max_length=2000, pattern=r"^[^\x00]*$")
    description: str = Field("", max_length=500, pattern=r"^[^\x00]*$")
    reason: str = Field("", max_length=1000, pattern=PRINTABLE)
    client_uuid: uuid.UUID


@dataclass(frozen=True)
class Kind:
    schema: type[Schema]
    store: Callable[[User, Any, list[tuple[str, bytes]]], tuple[int, bool]]
    village: Callable[[Any], str] = lambda body: ""
    when: Callable[[Any], dt.datetime | None] = lambda body: None
    photos: bool = False


# --- storing ----------------------------------------------------------------------------------

def _cleaned(photos: list[tuple[str, bytes]]) -> tuple[bytes, str] | None:
    """The first photo, cleaned as every photo is (core.photos: content checked, metadata
    dropped), or None; a file that is no readable image refuses the record."""
    if not photos:
        return None
    content_type, data = photos[0]
    try:
        return photo_clean(SimpleUploadedFile("photo", data, content_type=content_type))
    except PhotoError as exc:
        raise ValidationError({"photo": str(exc)}) from None


def _activity(actor: User, body: ActivityIn, photos) -> tuple[int, bool]:
    # The photo (uploaded first, in chunks) becomes the activity's own, shown where the
    # activity is; an activity first sent without it (its own endpoint) gets it now, once.
    photo = _cleaned(photos)
    activity, created = activity_services.activity_record(
        actor=actor, data=activity_services.ActivityInput(**body.dict()), photo=photo)
    if not created and photo is not None:
        activity_services.activity_photo_attach(actor=actor, activity_id=activity.pk, photo=photo)
    return activity.pk, created


def _report(actor: User, body: ReportIn, photos) -> tuple[int, bool]:
    photo = SimpleUploadedFile("photo.jpg", photos[0][1], content_type=photos[0][0]) if photos else None
    data = ReportInput(
        category=body.category, description=body.description, channel=Report.Channel.OFFICER,
        village=body.village, latitude=body.latitude, longitude=body.longitude,
        occurred_at=body.occurred_at, anonymous=body.anonymous, name=body.name, phone=body.phone,
        email=body.email, reply_channel=body.reply_channel, photo=photo,
        client_uuid=body.client_uuid, user=actor)
    try:
        done = report_submit(data)
    except IntakeError as exc:
        raise ValidationError(exc.errors) from None
    return done.report.pk, not done.resent


def _meeting(actor: User, body: MeetingBody, photos) -> tuple[int, bool]:
    forum = forum_selectors.meeting_forum_get(user=actor, forum_id=body.forum_id)
    if forum is None:
        raise Http404
    meeting, created = forum_services.meeting_create(
        actor=actor, forum=forum, held_at=body.held_at, agenda=body.agenda, place=body.place,
        status=body.status, client_uuid=body.client_uuid)
    if not created:
        return meeting.pk, False
    if body.minutes.strip():
        forum_services.meeting_update(actor=actor, meeting_id=meeting.pk, version=None,
                                      minutes=body.minutes)
    if body.attendance is not None:
        forum_services.meeting_attendance_set(actor=actor, meeting_id=meeting.pk, version=None,
                                              **body.attendance.dict())
    for text in body.decisions:
        forum_services.meeting_decision_add(actor=actor, meeting_id=meeting.pk, version=None, text=text)
    for issue in body.issues:
        forum_services.meeting_issue_add(actor=actor, meeting_id=meeting.pk, version=None,
                                         text=issue.text, category_code=issue.category_code,
                                         raised_by=issue.raised_by, sensitive=issue.sensitive)
    return meeting.pk, True


def _checkin(actor: User, body: CheckInBody, photos) -> tuple[int, bool]:
    place = rosters.roster_check_in(actor=actor, roster_id=body.roster_id, place=body.place)
    return place.pk, True


def _case_note(actor: User, body: CaseNoteBody, photos) -> tuple[int, bool]:
    if body.note.strip() and body.description.strip():
        raise ValidationError({"note": _("Send a note or an action, not both.")})
    if body.note.strip():
        entry = case_services.case_note_add(actor=actor, case_id=body.case_id, version=None,
                                            note=body.note, reason=body.reason)
        return entry.pk, True
    action = case_services.action_add(actor=actor, case_id=body.case_id, version=None,
                                      description=body.description, owner_kind=body.owner_kind,
                                      owner_name=body.owner_name, due=body.due, reason=body.reason)
    return action.pk, True


def _interview(actor: User, body: InterviewIn, photos) -> tuple[int, bool]:
    # The surveys service checks the enumerator role, the sample, the village's assignment,
    # consent and each answer's scale; resending the same client_uuid is safe there too.
    response, created = survey_collection.interview_submit(
        actor=actor, sample_id=body.sample, village=body.village, client_uuid=body.client_uuid,
        consent=body.consent, answers=body.answers)
    return response.pk, created


def _partner_activity(actor: User, body: PartnerActivityIn, photos) -> tuple[int, bool]:
    # The partners service checks the caller is the programme's organisation's staff, the
    # village within the programme's places (else NotFound: "not found in your area") and the
    # date within the programme's period; resending the same client_uuid is safe there too.
    try:
        activity, created = partner_services.partner_activity_record(
            actor=actor, programme_id=body.programme_id, village=body.village, kind=body.kind,
            occurred_on=body.occurred_on, participants=body.participants, summary=body.summary,
            client_uuid=body.client_uuid)
    except partner_services.NotFound:
        raise Http404 from None
    return activity.pk, created


def _day(day: dt.date) -> dt.datetime:
    """The start of a date-only record's day (so today is never 'in the future')."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


KINDS: dict[str, Kind] = {
    "activity": Kind(ActivityIn, _activity, village=lambda b: b.village, when=lambda b: b.occurred_at,
                     photos=True),
    "report": Kind(ReportIn, _report, village=lambda b: b.village, when=lambda b: b.occurred_at,
                   photos=True),
    "meeting": Kind(MeetingBody, _meeting,
                    when=lambda b: b.held_at if b.status != "planned" else None),
    "checkin": Kind(CheckInBody, _checkin),
    "case_note": Kind(CaseNoteBody, _case_note),
    # A survey interview (enumerators): the body of POST /surveys/interviews. Its village is
    # checked against the enumerator's assignment by the surveys service, not against posts.
    "interview": Kind(InterviewIn, _interview),
    # A partner's staff: the body of POST /partner-activities. Its village is checked against
    # the programme's places by the partners service (a partner has no posts).
    "partner_activity": Kind(PartnerActivityIn, _partner_activity, when=lambda b: _day(b.occurred_on)),
}
