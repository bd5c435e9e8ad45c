"""FKPM forums and their members, as far as the caller's scope reaches."""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from polmas.core.api import (
    DETAIL_ERRORS,
    PRINTABLE,
    PRINTABLE_FILLED,
    READ_ERRORS,
    TEXT,
    TEXT_FILLED,
    ErrorOut,
    Page,
    RecordId,
    not_found,
    one_of,
    required_in_document,
    stable,
)
from polmas.core.api import service_errors as core_service_errors
from polmas.forums import selectors, services
from polmas.forums.models import Forum, Meeting, MeetingActionItem, MeetingIssue

router = Router(tags=["forums"])

SCOPE_NOTE = (" Only forums in your scope; one outside it answers 404 as if it did not exist."
              " Residents see none.")


class ForumOut(Schema):
    id: int
    name: str
    model: str
    zone_kind: str
    local_name: str
    village_code: str
    status: str
    founded_on: dt.date | None

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village_id


# Members' phone and email are personal data: never part of the API, not even in scope.
class MemberOut(Schema):
    name: str
    role: str
    group: str


class ForumDetailOut(ForumOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj, context) -> list:
        request = context["request"]
        return list(selectors.forum_members(user=request.auth, forum=obj, via="api"))


@router.get("", response={200: list[ForumOut], **READ_ERRORS}, summary="FKPM forums in my scope",
            description="Forums whose village lies in your scope." + SCOPE_NOTE)
@paginate(Page)
def forum_list(request: HttpRequest, status: one_of(Forum.Status) | None = None):
    qs = selectors.forum_list(user=request.auth)
    if status:
        qs = qs.filter(status=status)
    return stable(qs, "village_id", "name")




# --- meetings --------------------------------------------------------------------------------

MEETING_NOTE = (" Meetings are read by the police in scope (Bhabinkamtibmas, supervisors, PPA) and by "
                "FKPM members in their forums' villages; anyone else gets 404. Writes are for members "
                "of that forum, the village's Bhabinkamtibmas and supervisors in scope: a reader who "
                "may not write gets 403. Each write takes the `version` you read; if the meeting "
                "changed since, 409 and nothing is written.")
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


class MeetingOut(Schema):
    id: int
    forum_id: int
    forum_name: str
    region_code: str
    held_at: dt.datetime
    place: str
    agenda: str
    status: str
    version: int

    @staticmethod
    def resolve_forum_name(obj) -> str:
        return obj["forum_name"] if isinstance(obj, dict) else obj.forum.name

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj["region_code"] if isinstance(obj, dict) else obj.village_id


class AttendanceOut(Schema):
    member_id: int
    name: str
    present: bool


class DecisionOut(Schema):
    id: int
    text: str


class ActionItemOut(Schema):
    id: int
    description: str
    owner_name: str
    due_on: dt.date | None
    status: str


class IssueOut(Schema):
    id: int
    text: str = Field(description="empty for a sensitive issue unless you handle such matters "
                      "(Bhabinkamtibmas, PPA officer)")
    category_code: str
    raised_by: str = Field(description="the resident who raised it, if they gave a name; empty "
                           "for a sensitive issue unless you handle such matters")
    sensitive: bool
    case_id: int | None
    outcome_status: str
    outcome_public: str


class MeetingDetailOut(MeetingOut):
    minutes: str
    others_men: int
    others_women: int
    others_unspecified: int
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut]
    action_items: list[ActionItemOut]
    issues: list[IssueOut]


def issue_out(issue: MeetingIssue, sees_sensitive: bool) -> dict:
    hide = issue.sensitive and not sees_sensitive
    return {"id": issue.pk, "text": "" if hide else issue.text, "category_code": issue.category_code,
            "raised_by": "" if hide else issue.raised_by, "sensitive": issue.sensitive,
            "case_id": issue.case_id, "outcome_status": issue.outcome_status,
            "outcome_public": issue.outcome_public}


def meeting_detail_body(user, meeting: Meeting) -> dict:
    """The meeting with everything recorded at it, as the caller may see it."""
    sees = selectors.sensitive_text_visible(user)
    return {
        "id": meeting.pk, "forum_id": meeting.forum_id, "forum_name": meeting.forum.name,
        "region_code": meeting.village_id, "held_at": meeting.held_at, "place": meeting.place,
        "agenda": meeting.agenda, "status": meeting.status, "version": meeting.version,
        "minutes": meeting.minutes, "others_men": meeting.others_men,
        "others_women": meeting.others_women, "others_unspecified": meeting.others_unspecified,
        "attendance": [{"member_id": a.member_id, "name": a.member.name, "present": a.present}
                       for a in meeting.attendance.select_related("member").order_by("member__name")],
        "decisions": list(meeting.decisions.values("id", "text")),
        "action_items": list(meeting.action_items.values("id", "description", "owner_name", "due_on",
                                                         "status")),
        "issues": [issue_out(i, sees) for i in meeting.issues.all()],
    }


@contextmanager
def service_errors() -> Iterator[None]:
    """The shared refusals, and a meeting or action item that is not there."""
    with core_service_errors():
        try:
            yield
        except (Meeting.DoesNotExist, MeetingActionItem.DoesNotExist):
            raise not_found() from None


def _readable(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_get(user=request.auth, meeting_id=meeting_id)
    if meeting is None:
        raise not_found()
    return meeting


def _answer(request: HttpRequest, meeting_id: int) -> dict:
    return meeting_detail_body(request.auth, _readable(request, meeting_id))


# What the services require of text (they check it, answering 400), stated in the document.
SOME_TEXT = {"minLength": 1, "pattern": TEXT_FILLED}


class MeetingIn(Schema):
    held_at: dt.datetime = Field(description="when (ISO 8601 with zone)")
    agenda: str = Field(max_length=4000, pattern=r"^[^\x00]*$", json_schema_extra=SOME_TEXT)
    place: str = Field("", max_length=150, pattern=PRINTABLE,
                       description="where; empty for the forum's usual hall")
    status: one_of(Meeting.Status) = Meeting.Status.PLANNED
    client_uuid: uuid.UUID | None = Field(None, description="generated by the client; a resend with "
                                          "the same UUID and content answers 200 with the first meeting, "
                                          "with other content 409")


class MeetingEditIn(Schema):
    version: int = Field(ge=1)
    held_at: dt.datetime | None = None
    agenda: str | None = Field(None, max_length=4000, pattern=r"^[^\x00]*$", json_schema_extra=SOME_TEXT)
    place: str | None = Field(None, max_length=150, pattern=PRINTABLE)
    minutes: str | None = Field(None, max_length=20000, pattern=r"^[^\x00]*$",
                                json_schema_extra={"pattern": TEXT})


class VersionIn(Schema):
    version: int = Field(ge=1)


class AttendanceIn(VersionIn):
    present: list[int] = Field(default_factory=list, max_length=500,
                               description="ids of the members who attended; others are absent")
    others_men: int = Field(0, ge=0, le=100_000)
    others_women: int = Field(0, ge=0, le=100_000)
    others_unspecified: int = Field(0, ge=0, le=100_000)


class DecisionIn(VersionIn):
    text: str = Field(max_length=2000, pattern=r"^[^\x00]*$", json_schema_extra=SOME_TEXT)


class ActionItemIn(VersionIn):
    model_config = required_in_document("owner_name")

    description: str = Field(max_length=2000, pattern=r"^[^\x00]*$", json_schema_extra=SOME_TEXT)
    owner_name: str = Field("", max_length=150, pattern=PRINTABLE, description="who will do it (required)",
                            json_schema_extra={"minLength": 1, "pattern": PRINTABLE_FILLED})
    due_on: dt.date | None = None
    status: one_of(MeetingActionItem.Status) = MeetingActionItem.Status.OPEN


class ActionStatusIn(VersionIn):
    status: one_of(MeetingActionItem.Status)


class IssueIn(VersionIn):
    text: str = Field(max_length=2000, pattern=r"^[^\x00]*$", json_schema_extra=SOME_TEXT)
    category_code: str = Field("", max_length=40, description="a report category code, e.g. traffic")
    raised_by: str = Field("", max_length=150, pattern=PRINTABLE,
                           description="the resident's name, only if they agree")
    sensitive: bool = Field(False, description="forced true for a sensitive category")


@router.get("/meetings", response={200: list[MeetingOut], **READ_ERRORS},
            summary="FKPM meetings in my scope", description="Newest first." + MEETING_NOTE)
@paginate(Page)
def meeting_list(request: HttpRequest, status: one_of(Meeting.Status) | None = None):
    qs = selectors.meeting_list(user=request.auth)
    if status:
        qs = qs.filter(status=status)
    return stable(qs, "-held_at")


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **DETAIL_ERRORS},
            summary="One meeting: attendance, minutes, decisions, action items, issues raised",
            description=MEETING_NOTE.strip())
def meeting_detail(request: HttpRequest, meeting_id: RecordId):
    return _answer(request, meeting_id)


@router.get("/{forum_id}/meetings", response={200: list[MeetingOut], **DETAIL_ERRORS},
            summary="Meetings of one forum", description="Newest first." + MEETING_NOTE)
@paginate(Page)
def forum_meetings(request: HttpRequest, forum_id: RecordId):
    if selectors.meeting_forum_get(user=request.auth, forum_id=forum_id) is None:
        raise not_found()
    return stable(selectors.meeting_list(user=request.auth, forum_id=forum_id), "-held_at")


@router.post("/{forum_id}/meetings", response={201: MeetingDetailOut, 200: MeetingDetailOut,
                                               **WRITE_ERRORS},
             summary="Plan or record a meeting",
             description="Answers 201; a resend with the same `client_uuid` and content answers 200 "
             "with the meeting recorded the first time, with other content 409." + MEETING_NOTE)
def meeting_create(request: HttpRequest, forum_id: RecordId, payload: MeetingIn):
    forum = selectors.meeting_forum_get(user=request.auth, forum_id=forum_id)
    if forum is None:
        raise not_found()
    with service_errors():
        meeting, created = services.meeting_create(
            actor=request.auth, forum=forum, held_at=payload.held_at, agenda=payload.agenda,
            place=payload.place, status=payload.status, client_uuid=payload.client_uuid)
    return Status(201 if created else 200, _answer(request, meeting.pk))


@router.post("/meetings/{meeting_id}", response={200: MeetingDetailOut, **WRITE_ERRORS},
             summary="Change the time, agenda, place or minutes", description=MEETING_NOTE.strip())
def meeting_update(request: HttpRequest, meeting_id: RecordId, payload: MeetingEditIn):
    _readable(request, meeting_id)
    with service_errors():
        services.meeting_update(actor=request.auth, meeting_id=meeting_id, version=payload.version,
                                held_at=payload.held_at, agenda=payload.agenda, place=payload.place,
                                minutes=payload.minutes)
    return _answer(request, meeting_id)


@router.post("/meetings/{meeting_id}/held", response={200: MeetingDetailOut, **WRITE_ERRORS},
             summary="Mark a meeting as held", description=MEETING_NOTE.strip())
def meeting_held(request: HttpRequest, meeting_id: RecordId, payload: VersionIn):
    _readable(request, meeting_id)
    with service_errors():
        services.meeting_mark_held(actor=request.auth, meeting_id=meeting_id, version=payload.version)
    return _answer(request, meeting_id)


@router.post("/meetings/{meeting_id}/attendance", response={200: MeetingDetailOut, **WRITE_ERRORS},
             summary="Record attendance: members by id, others counted by gender",
             description=MEETING_NOTE.strip())
def meeting_attendance(request: HttpRequest, meeting_id: RecordId, payload: AttendanceIn):
    _readable(request, meeting_id)
    with service_errors():
        services.meeting_attendance_set(
            actor=request.auth, meeting_id=meeting_id, version=payload.version,
            present=payload.present, others_men=payload.others_men, others_women=payload.others_women,
            others_unspecified=payload.others_unspecified)
    return _answer(request, meeting_id)


@router.post("/meetings/{meeting_id}/decisions", response={200: MeetingDetailOut, **WRITE_ERRORS},
             summary="Add a decision", description=MEETING_NOTE.strip())
def meeting_decision(request: HttpRequest, meeting_id: RecordId, payload: DecisionIn):
    _readable(request, meeting_id)
    with service_errors():
        services.meeting_decision_add(actor=request.auth, meeting_id=meeting_id,
                                      version=payload.version, text=payload.text)
    return _answer(request, meeting_id)


@router.post("/meetings/{meeting_id}/actions", response={200: MeetingDetailOut, **WRITE_ERRORS},
             summary="Add an action item (an owner is required)", description=MEETING_NOTE.strip())
def meeting_action(request: HttpRequest, meeting_id: RecordId, payload: ActionItemIn):
    _readable(request, meeting_id)
    with service_errors():
        services.meeting_action_add(actor=request.auth, meeting_id=meeting_id, version=payload.version,
                                    description=payload.description, owner_name=payload.owner_name,
                                    due_on=payload.due_on, status=payload.status)
    return _answer(request, meeting_id)


@router.post("/meetings/{meeting_id}/actions/{action_id}", response={200: MeetingDetailOut, **WRITE_ERRORS},
             summary="Move an action item on (open, in_progress, done, dropped)",
             description=MEETING_NOTE.strip())
def meeting_action_status(request: HttpRequest, meeting_id: RecordId, action_id: RecordId,
                          payload: ActionStatusIn):
    meeting = _readable(request, meeting_id)
    if not meeting.action_items.filter(pk=action_id).exists():
        raise not_found()
    with service_errors():
        services.meeting_action_status_set(actor=request.auth, action_id=action_id,
                                           version=payload.version, status=payload.status)
    return _answer(request, meeting_id)


@router.post("/meetings/{meeting_id}/issues", response={200: MeetingDetailOut, **WRITE_ERRORS},
             summary="Record an issue residents raised", description="A sensitive category (domestic or "
             "sexual violence, children, trafficking) makes the issue sensitive: only the "
             "Bhabinkamtibmas and the PPA officer read its text." + MEETING_NOTE)
def meeting_issue(request: HttpRequest, meeting_id: RecordId, payload: IssueIn):
    _readable(request, meeting_id)
    with service_errors():
        services.meeting_issue_add(actor=request.auth, meeting_id=meeting_id, version=payload.version,
                                   text=payload.text, category_code=payload.category_code,
                                   raised_by=payload.raised_by, sensitive=payload.sensitive)
    return _answer(request, meeting_id)


# Last: "/{forum_id}" must not shadow "/meetings" above.
@router.get("/{forum_id}", response={200: ForumDetailOut, **DETAIL_ERRORS},
            summary="One forum with its active members (names, roles, groups; no contacts)",
            description=SCOPE_NOTE.strip())
def forum_detail(request: HttpRequest, forum_id: RecordId):
    forum = selectors.forum_get(user=request.auth, forum_id=forum_id)
    if forum is None:
        raise not_found()
    return forum
