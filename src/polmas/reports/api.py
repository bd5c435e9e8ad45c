"""Community reports: submit (no token needed), public status by tracking code, and for
officers and supervisors the reports in scope, their inbox, and the officers' actions.

Thin: every rule lives in intake, selectors and services; this module only translates
between HTTP and them.
"""

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from polmas.access.api import BearerAuth
from polmas.core.api import (
    DETAIL_ERRORS,
    PRINTABLE,
    READ_ERRORS,
    ApiError,
    ErrorOut,
    Page,
    RecordId,
    not_found,
    stable,
)
from polmas.core.api import service_errors as core_service_errors
from polmas.core.http import client_address
from polmas.core.scope import prefix_q
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports import selectors, services
from polmas.reports.api_schemas import (
    BlockIn,
    BlockOut,
    InboxFilter,
    InboxReportOut,
    MergeIn,
    ModerateIn,
    PublicStatusOut,
    ReportDetailOut,
    ReportFilter,
    ReportIn,
    ReportOut,
    SeenIn,
    SeenOut,
    StatusIn,
    SubmittedOut,
    TrackingIn,
)
from polmas.reports.intake import IntakeError, ReportInput, report_check, report_store
from polmas.reports.models import MAX_TEXT, Category, Report
from polmas.reports.personal_data import identity_read_audit
from polmas.reports.selectors import ReasonRequired, can_see_reporter

router = Router(tags=["reports"])

SCOPE_NOTE = (" Only reports in your scope; one outside it answers 404 as if it did not exist. "
              "Sensitive reports are sealed: only their officer and the PPA officer in scope list "
              "them. Residents, partners and planners see none.")
WRITE_ERRORS: dict[int, type[Schema]] = {**DETAIL_ERRORS, 400: ErrorOut, 403: ErrorOut}

# Shown at once to whoever reports a sensitive matter (domestic or sexual violence, children,
# trafficking): police emergency line, the ministry's SAPA line, the regional service unit.
HELP = [
    (gettext_lazy("Police emergency line"), "110"),
    (gettext_lazy("SAPA, Ministry of Women's Empowerment and Child Protection (call)"), "129"),
    (gettext_lazy("SAPA on WhatsApp"), "08111-129-129"),
    (gettext_lazy("UPTD PPA, the women and children protection service of your regency or city"),
     gettext_lazy("ask at the regency or city office for women's empowerment and child protection")),
]


def anonymous_resident(request: HttpRequest) -> AnonymousUser | None:
    """No Authorization header at all: an anonymous resident. A header with a bad token is
    not anonymity but a mistake, and answers 401 like everywhere else."""
    return AnonymousUser() if not request.headers.get("Authorization", "").strip() else None


@contextmanager
def service_errors() -> Iterator[None]:
    """The shared refusals, and a sealed report changed without a reason."""
    with core_service_errors():
        try:
            yield
        except ReasonRequired:
            raise ApiError(403, _("This report is sealed: only its officer and the PPA officer "
                                  "in scope may change it.")) from None


# --- submitting --------------------------------------------------------------------------

def _intake_error(exc: IntakeError) -> ApiError:
    errors = [{"field": f, "reason": r} for f, r in exc.errors.items() if f != "__all__"]
    detail = exc.errors.get("__all__") or "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    # The limit counts the last hour, so an hour is the longest anyone must wait.
    headers = {"Retry-After": "3600"} if exc.status == 429 else {}
    return ApiError(exc.status, detail, errors=errors, headers=headers)


@router.post("", auth=[BearerAuth(), anonymous_resident],
             # A token is optional here: say so in the document ({} is "no credentials").
             openapi_extra={"security": [{}]},
             response={201: SubmittedOut, 200: SubmittedOut, 400: ErrorOut, 401: ErrorOut,
                       403: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             summary="Submit a report (no token needed)",
             description="Anyone may report, without a token. Answers 201 with the tracking code, "
             "which is stored only as a hash and never shown again. Sending the same `client_uuid` "
             "again answers 200 with the stored report, storing nothing, and `tracking_code: null` "
             "unless the same client resends the same content within 24 hours (same address, or "
             "same token): then a fresh code, which replaces the lost one (ADR 16). "
             "Content the platform refuses (unknown category or village, text over "
             f"{MAX_TEXT} characters, a place outside Indonesia, a future time, a bad phone) "
             "answers 400 naming each field; a body of the wrong JSON types 422; a blocked sender "
             "403; more than POLMAS_REPORTS_PER_HOUR anonymous reports from one address in an "
             "hour 429. A token, if sent, must be valid (else 401).")
def report_create(request: HttpRequest, payload: ReportIn):
    user = request.auth if request.auth.is_authenticated else None
    data = ReportInput(
        category=payload.category, description=payload.description, channel=Report.Channel.API,
        village=payload.village, latitude=payload.latitude, longitude=payload.longitude,
        occurred_at=payload.occurred_at, anonymous=payload.anonymous, name=payload.name,
        phone=payload.phone, email=payload.email, reply_channel=payload.reply_channel,
        client_key=client_address(request), client_uuid=payload.client_uuid, user=user,
    )
    try:
        done = report_store(report_check(data))
    except IntakeError as exc:
        raise _intake_error(exc) from None
    report = done.report
    # Never for a sensitive matter: it would tell anyone who files one whether someone else
    # reported, say, domestic violence in that village lately. The officer still sees it.
    twin = report.likely_duplicate_of_id is not None and not report.sensitive
    body = {"id": report.pk, "tracking_code": done.tracking_code, "status": report.status,
            "likely_duplicate": twin,
            "help": [{"name": str(n), "contact": str(c)} for n, c in HELP] if report.sensitive else []}
    # SubmittedOut exactly (tests/reports_api/test_submit.py checks it), written directly: the
    # busiest answer of the API skips validating what it has just built (ADR 11).
    return HttpResponse(json.dumps(body), status=200 if done.resent else 201,
                        content_type="application/json")


# --- public status -------------------------------------------------------------------------

@router.post("/status", auth=None,
             response={200: PublicStatusOut, 400: ErrorOut, 404: ErrorOut, 415: ErrorOut, 422: ErrorOut},
             summary="Follow a report by its tracking code (no token needed)",
             description="Send the code in the body, {\"tracking_code\": \"ABCD-EFGH-JKMN\"}: never "
             "in a URL, which access logs and proxies keep. Progress only: no text, no reporter, "
             "no location finer than the village. An unknown or malformed code answers the same 404.")
def report_status(request: HttpRequest, payload: TrackingIn):
    found = selectors.public_status(code=payload.tracking_code[:100])
    if found is None:
        raise not_found()
    return {**found, "category": found["category"].name if found["category"] else _("sensitive matter"),
            "village": found["village"].name}


@router.get("/status/{tracking_code}", auth=None, include_in_schema=False, response={410: ErrorOut})
def report_status_by_url(request: HttpRequest, tracking_code: str):
    """Gone: a code in the path ends up in access logs. Nothing is looked up."""
    raise ApiError(410, _("Send the tracking code in the body of POST /api/v1/reports/status, "
                          "never in the address."))


# --- reading, for officers ------------------------------------------------------------------

def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(qs: QuerySet[Report], f: ReportFilter) -> QuerySet[Report]:
    if f.region is not None:
        if not codes.is_valid(f.region):
            raise ApiError.for_field(400, "region", _("is not a region code like 51 or 51.08.09.2007"))
        if not Region.objects.filter(code=f.region).exists():
            raise ApiError.for_field(400, "region", _("no region has code %(code)s") % {"code": f.region})
        qs = qs.filter(prefix_q("village_id", [f.region]))
    if f.category is not None:
        if not Category.objects.filter(code=f.category).exists():
            raise ApiError.for_field(400, "category", _("no category has code %(code)s")
                                     % {"code": f.category})
        qs = qs.filter(category__code=f.category)
    if f.since and f.until and f.since > f.until:
        raise ApiError.for_field(400, "until", _("lies before since"))
    if f.since:
        qs = qs.filter(created_at__gte=_day_start(f.since))
    if f.until:
        qs = qs.filter(created_at__lt=_day_start(f.until + dt.timedelta(days=1)))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.spam is not None:
        qs = qs.filter(spam=f.spam)
    if f.held is not None:
        qs = qs.filter(held=f.held)
    twin = Q(duplicate_of__isnull=False) | Q(likely_duplicate_of__isnull=False)
    if f.duplicates == "only":
        qs = qs.filter(twin)
    elif f.duplicates == "exclude":
        qs = qs.exclude(twin)
    return stable(qs, "-created_at")


def _detail(report: Report, police: bool) -> dict:
    events = report.events.order_by("at", "pk")
    routed = report.recipients.select_related("officer", "forum", "unit")
    return {
        "latitude": report.latitude if police else None,
        "longitude": report.longitude if police else None,
        "reporter": {"anonymous": report.anonymous, "name": report.reporter_name,
                     "phone": report.reporter_phone, "email": report.reporter_email,
                     "reply_channel": report.reply_channel} if police else None,
        "has_photo": bool(report.photo),
        "routed_to": [{"why": r.why, "name": str(r.officer.name if r.officer else
                                                 r.forum.name if r.forum else r.unit.name)}
                      for r in routed],
        "events": [{"at": e.at, "kind": e.kind, "status": e.status, "public": e.public,
                    "note": e.note if police else ""}
                   for e in events if police or e.public],
    }


def _detail_response(request: HttpRequest, report: Report) -> dict:
    body = ReportOut.from_orm(report).model_dump()
    return {**body, **_detail(report, can_see_reporter(request.auth)),
            "first_response_at": report.first_response_at, "resolved_at": report.resolved_at}


@router.get("", response={200: list[ReportOut], 400: ErrorOut, **READ_ERRORS},
            summary="Reports in my scope",
            description="Newest first. A malformed or unknown `region` or `category` answers 400. "
            "Items never carry the reporter: only the detail shows them, to the police." + SCOPE_NOTE)
@paginate(Page)
def report_list(request: HttpRequest, filters: Query[ReportFilter]):
    return _filtered(selectors.report_list(user=request.auth), filters)


@router.get("/inbox", response={200: list[InboxReportOut], 400: ErrorOut, **READ_ERRORS},
            summary="Reports routed to me",
            description="As the village's Bhabinkamtibmas, as a member of its FKPM, as the Polsek "
            "of a village without officer, or as the PPA officer for sensitive matters. "
            "Same filters as the list, and `unseen`. Each item says whether you have `seen` it; "
            "reading never marks it (POST /reports/inbox/seen does, and so does any action on it).")
@paginate(Page)
def report_inbox(request: HttpRequest, filters: Query[InboxFilter]):
    qs = selectors.with_seen(selectors.inbox(user=request.auth), user=request.auth)
    if filters.unseen is not None:
        qs = qs.filter(seen=not filters.unseen)
    return _filtered(qs, filters)


@router.post("/inbox/seen", response={200: SeenOut, **WRITE_ERRORS},
             summary="Mark reports in my inbox as seen",
             description="Body {\"ids\": [..]}: 1 to 200 report ids. Only your own inbox entries "
             "change (as officer, forum member or unit); ids not in your inbox are ignored, and "
             "entries already seen keep their first time. Answers how many of the ids are in "
             "your inbox. A reopened report comes back unseen.")
def report_inbox_seen(request: HttpRequest, payload: SeenIn):
    with service_errors():
        seen = services.inbox_mark_seen(user=request.auth, report_ids=payload.ids)
    return {"seen": seen}


@router.get("/{report_id}", response={200: ReportDetailOut, 403: ErrorOut, **DETAIL_ERRORS},
            summary="One report, with its history and (police only) its reporter",
            description="A sealed report opened by a supervisor answers 403 unless `reason` says "
            "why; the reason is kept in the audit log with the read." + SCOPE_NOTE)
def report_detail(request: HttpRequest, report_id: RecordId,
                  reason: str = Query("", max_length=1000, pattern=PRINTABLE)):
    try:
        report = selectors.report_get(user=request.auth, report_id=report_id, reason=reason)
    except ReasonRequired:
        raise ApiError.for_field(403, "reason", _(
            "This report is sealed: say why you open it (?reason=...); the reason is recorded."
        )) from None
    if report is None:
        raise not_found()
    if can_see_reporter(request.auth):
        identity_read_audit(user=request.auth, report=report, via="api")
    return _detail_response(request, report)


# --- officers' actions ------------------------------------------------------------------------

@router.post("/{report_id}/status", response={200: ReportDetailOut, 409: ErrorOut, **WRITE_ERRORS},
             summary="Move a report on: received, in_progress, resolved, closed",
             description="Send the `version` you read; if someone changed the report since, 409. "
             "Reporters who left a contact (and those of merged reports) get the change by SMS, "
             "WhatsApp or e-mail." + SCOPE_NOTE)
def report_status_set(request: HttpRequest, report_id: RecordId, payload: StatusIn):
    with service_errors():
        report = services.report_set_status(actor=request.auth, report_id=report_id,
                                            status=payload.status, summary=payload.summary,
                                            version=payload.version)
    return _detail_response(request, report)


@router.post("/{report_id}/merge", response={200: ReportDetailOut, **WRITE_ERRORS},
             summary="Merge a duplicate into its original (police only)",
             description="The duplicate's reporter follows the original from then on and hears of "
             "its status changes. Both must be in your scope and of the same category.")
def report_merge(request: HttpRequest, report_id: RecordId, payload: MergeIn):
    with service_errors():
        report = services.report_merge(actor=request.auth, report_id=report_id,
                                       into_id=payload.into)
    return _detail_response(request, report)


@router.post("/{report_id}/moderate", response={200: ReportDetailOut, **WRITE_ERRORS},
             summary="Hide abusive text, mark spam, hold or release (police only)",
             description="The original text stays in the database for audit; the reason is "
             "recorded in the audit log. A report whose text tells of a sensitive matter (domestic "
             "or sexual violence, children, trafficking) under an ordinary category is held at "
             "intake: Open311 does not publish it until `held: false` releases it.")
def report_moderate(request: HttpRequest, report_id: RecordId, payload: ModerateIn):
    with service_errors():
        report = services.report_moderate(actor=request.auth, report_id=report_id,
                                          hide=payload.hide, spam=payload.spam, held=payload.held,
                                          reason=payload.reason)
    return _detail_response(request, report)


@router.post("/{report_id}/block", response={200: BlockOut, **WRITE_ERRORS},
             summary="Refuse further reports from this report's phone, e-mail or client (police only)",
             description="Only a keyed hash of the phone, address or client is kept in the block.")
def report_block(request: HttpRequest, report_id: RecordId, payload: BlockIn):
    with service_errors():
        block = services.sender_block(actor=request.auth, report_id=report_id,
                                      what=payload.what, reason=payload.reason)
    return {"kind": block.kind, "reason": block.reason, "since": block.at}
