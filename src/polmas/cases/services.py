"""Writes on cases through the SARA stages: open, analyse, plan the response, act, assess,
close; and the escalation of cases left without activity. Each write is atomic, scoped,
audited, writes a timeline entry and bumps the version (a stale version changes nothing)."""

import datetime as dt
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from polmas.access.audit import audit_record
from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.cases.models import MAX_TEXT, Action, Case, CaseReport, TimelineEntry
from polmas.cases.notifications import case_escalated
from polmas.cases.selectors import ESCALATE_AFTER, POLICE_ROLES, case_get, case_of_report
from polmas.core.errors import Conflict as BaseConflict
from polmas.core.text import shortened
from polmas.forums import selectors as forum_selectors
from polmas.forums import services as forum_services
from polmas.forums.models import MeetingIssue
from polmas.policing.models import Assignment, Officer, PoliceUnit
from polmas.policing.tree import unit_for_region
from polmas.regions.models import Region
from polmas.reports import services as report_services
from polmas.reports.models import Category, Report
from polmas.reports.selectors import ReasonRequired, report_get

TRIANGLE = ("victim", "guardian", "offender", "handler", "place", "manager")
ORDER = [Case.Stage.SCANNING, Case.Stage.ANALYSIS, Case.Stage.RESPONSE, Case.Stage.ASSESSMENT,
         Case.Stage.CLOSED]


class Conflict(BaseConflict):
    """The case changed since the caller read it (stale version)."""


# --- helpers ---------------------------------------------------------------------------------

def _text(errors: dict, field: str, value: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("This is required.")
    elif len(value) > limit:
        errors[field] = _("At most %(n)d characters.") % {"n": limit}
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _editable(actor: User, case_id: int, version: int | None, reason: str = "") -> Case:
    """The case locked for writing, or 404 / PermissionDenied / Conflict. Requires: a police
    role (or admin); for a sealed case its officer, PPA, or a supervisor giving a reason."""
    try:
        case = case_get(user=actor, case_id=case_id, reason=reason, for_update=True, audit=False)
    except ReasonRequired:
        raise PermissionDenied(_("This case is sealed: give the reason you need to change it.")) from None
    if case is None:
        raise Http404
    if not scope_for(actor).has(*POLICE_ROLES):
        raise PermissionDenied(_("Only police officers change cases."))
    if version is not None and case.version != version:
        raise Conflict(_("This case was changed by someone else; reload it and try again."))
    if case.stage == Case.Stage.CLOSED:
        raise ValidationError({"stage": _("This case is closed.")})
    return case


def _touch(case: Case, actor: User | None, kind: str, note: str = "", *, reason: str = "",
           detail: dict | None = None, activity: bool = True, at: dt.datetime | None = None,
           facts: dict | None = None) -> Case:
    """Save a change: new version, activity time, a timeline entry and an audit entry."""
    now = at or timezone.now()
    case.version += 1
    if activity:
        case.last_activity_at = now
        if case.first_response_at is None and kind != "opened":
            case.first_response_at = now
    case.save()
    name = actor.get_username() if actor is not None and actor.is_authenticated else "system"
    TimelineEntry.objects.create(case=case, at=now, actor=actor if name != "system" else None,
                                 actor_name=name, kind=kind, note=note[:2000], facts=facts or {})
    audit_record(actor=actor, action=f"case.{kind}", obj=case, region_code=case.village_id,
                 reason=reason.strip()[:1000], detail=detail)
    if kind in PUBLIC_STEPS and case.source in (Case.Source.REPORT, Case.Source.MEETING):
        _public_follow(case)
    return case


# The steps that change what a forum's public page says of a case.
PUBLIC_STEPS = {"opened", "analysis", "response", "assessment", "closed"}


def _public_follow(case: Case) -> None:
    """Tell the forums where `case` stands: its meeting issues' stage, and for a case from
    residents' reports its entry on the village forum's public page, with what the (published)
    reports said and, once closed, the public summary. Nothing of a sensitive case."""
    said, names = "", []
    if case.source == Case.Source.REPORT and not case.sensitive:
        links = case.case_reports.select_related("report").order_by("report_id")
        for report in (link.report for link in links):
            names.append(report.reporter_name)
            if not said and not (report.sensitive or report.held or report.spam):
                said = report.shown_description
    closed = case.stage == Case.Stage.CLOSED
    forum_services.case_progress_publish(
        case_id=case.pk, village_code=case.village_id, stage=case.stage, sensitive=case.sensitive,
        from_reports=case.source == Case.Source.REPORT, opened_at=case.opened_at,
        category_code=case.category.code, said=said, names=[n for n in names if n],
        status=ISSUE_STATUS[case.outcome] if closed and case.outcome else "in_progress",
        outcome_public=case.public_summary if closed else "")


def _need_stage(case: Case, *allowed: str, field: str = "stage") -> None:
    if case.stage not in allowed:
        labels = ", ".join(str(Case.Stage(s).label) for s in allowed)
        raise ValidationError({field: _("The case is in %(stage)s; this step needs it in: %(allowed)s.")
                               % {"stage": case.get_stage_display(), "allowed": labels}})


def village_officer(village_code: str) -> Officer | None:
    a = Assignment.objects.filter(village_id=village_code, end__isnull=True).select_related("officer").first()
    return a.officer if a else None


# --- scanning: opening a case ------------------------------------------------------------

def _meeting_issue(actor: User, issue_id: int) -> MeetingIssue:
    issue = forum_selectors.meeting_issue_get(user=actor, issue_id=issue_id)
    if issue is None:
        raise ValidationError({"meeting_issue_id": _("No meeting issue %(id)s in your area.")
                               % {"id": issue_id}})
    if issue.case_id is not None:
        raise ValidationError({"meeting_issue_id": _("This issue is already tracked by case %(id)s.")
                               % {"id": issue.case_id}})
    return issue


def _linked_reports(actor: User, report_ids: list[int]) -> list[Report]:
    reports = []
    for rid in dict.fromkeys(report_ids):
        try:
            # Locked: two officers opening a case on the same report at once make one case.
            report = report_get(user=actor, report_id=rid, for_update=True)
        except ReasonRequired:
            sealed = _("Report %(id)s is sealed: only its officer or the PPA officer may open a "
                       "case on it.") % {"id": rid}
            raise ValidationError({"report_ids": sealed}) from None
        if report is None:
            raise ValidationError({"report_ids": _("No report %(id)s in your area.") % {"id": rid}})
        existing = case_of_report(report_id=rid)
        if existing is not None:
            raise ValidationError({"report_ids": _("Report %(id)s is already part of case %(number)s.")
                                   % {"id": rid, "number": existing.number}})
        reports.append(report)
    return reports


def _reporter_of(reports: list[Report]) -> tuple[str, str]:
    """The name and contact the first identified reporter chose to give ("" when anonymous)."""
    for r in reports:
        contact = " · ".join(v for v in (r.reporter_phone, r.reporter_email) if v)
        if r.reporter_name or contact:
            channel = dict(REPLY_LABELS).get(r.reply_channel)
            if channel:
                contact = f"{contact} ({_('answer by %(channel)s') % {'channel': channel}})"
            return r.reporter_name, contact
    return "", ""


REPLY_LABELS = [("sms", "SMS"), ("whatsapp", "WhatsApp"), ("email", "e-mail")]


@transaction.atomic
def case_open(*, actor: User, village: str = "", category: str = "", title: str = "",
              statement: str = "", source: str, report_ids: list[int] | None = None,
              incidents_note: str = "", recurring: bool = False, meeting_issue_id: int | None = None,
              victim_name: str = "", victim_contact: str = "", reporter_name: str = "",
              reporter_contact: str = "", client_uuid: uuid.UUID | None = None,
              opened_at: dt.datetime | None = None) -> Case:
    """Open a case in the scanning stage, from reports, a meeting issue or a detection.
    Village and category default to the first report's. Requires: a police role (a forum
    member may open one from a meeting issue), the village and reports in the actor's scope."""
    scope = scope_for(actor)
    if not scope.has(*POLICE_ROLES, Role.FKPM_MEMBER):
        raise PermissionDenied(_("Only police officers and forum members open cases."))
    if client_uuid is not None:
        done = Case.objects.filter(client_uuid=client_uuid).first()
        if done is not None:
            return done
    errors: dict[str, str] = {}
    if source not in Case.Source.values:
        errors["source"] = _("Must be one of %(values)s.") % {"values": ", ".join(Case.Source.values)}
    elif source != Case.Source.MEETING and not scope.has(*POLICE_ROLES):
        errors["source"] = _("Forum members open cases only from an issue raised at a meeting.")
    reports = _linked_reports(actor, report_ids) if report_ids else []
    issue = _meeting_issue(actor, meeting_issue_id) if meeting_issue_id is not None else None
    if issue is not None:
        village, category = village or issue.meeting.village_id, category or issue.category_code
        statement = statement or issue.text
        incidents_note = incidents_note or _("Raised at the forum meeting of %(day)s.") % {
            "day": f"{issue.meeting.held_at:%Y-%m-%d}"}
    elif source == Case.Source.MEETING:
        errors["meeting_issue_id"] = _("Name the issue raised at the meeting.")
    if reports:
        village, category = village or reports[0].village_id, category or reports[0].category.code
    if source == Case.Source.REPORT and not reports:
        errors["report_ids"] = _("Link at least one report to a case opened from reports.")
    statement = _text(errors, "statement", statement)
    incidents_note = _text(errors, "incidents_note", incidents_note, required=not reports)
    title = _text(errors, "title", title or shortened(statement, 80), limit=200)
    cat = Category.objects.filter(code=category).first()
    if cat is None:
        errors["category"] = _("No category has code %(code)s.") % {"code": str(category)[:40]}
    region = Region.objects.filter(code=village, level=4).first()
    if region is None:
        errors["village"] = _("No village has code %(code)s.") % {"code": str(village)[:20]}
    elif not scope.covers(region.code):
        errors["village"] = _("This village is outside your area.")
    for r in reports:
        if region is not None and r.village_id != region.code:
            errors["report_ids"] = _("Report %(id)s is from another village.") % {"id": r.pk}
    _raise(errors)
    assert cat is not None and region is not None
    if reports and not (reporter_name.strip() or reporter_contact.strip()):
        reporter_name, reporter_contact = _reporter_of(reports)
    officer = getattr(actor, "officer", None) if scope.has(Role.BHABINKAMTIBMAS) else None
    case = Case(village=region, category=cat, title=title, statement=statement,
                incidents_note=incidents_note, recurring=bool(recurring), source=source,
                sensitive=cat.sensitive, assigned_officer=officer or village_officer(region.code),
                victim_name=victim_name.strip()[:300], victim_contact=victim_contact.strip()[:300],
                reporter_name=reporter_name.strip()[:300],
                reporter_contact=reporter_contact.strip()[:300], client_uuid=client_uuid,
                created_by=actor, version=0)
    case.opened_at = case.last_activity_at = opened_at or timezone.now()
    if reports:
        case.first_response_at = case.opened_at
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # The same client UUID sent twice at once: the other request stored it.
        existing = Case.objects.filter(client_uuid=client_uuid).first() if client_uuid else None
        if existing is None:
            raise
        return existing
    if issue is not None:
        forum_services.meeting_issue_link_case(issue_id=issue.pk, case_id=case.pk, actor=actor)
    for r in reports:
        CaseReport.objects.create(case=case, report=r)
        if r.status == Report.Status.RECEIVED:
            report_services.report_set_status(actor=actor, report_id=r.pk, status=Report.Status.IN_PROGRESS)
    return _touch(case, actor, "opened", case.get_source_display(), at=case.opened_at,
                  detail={"reports": [r.pk for r in reports], "source": source},
                  facts={"source": source, "reports": [r.pk for r in reports]})


# --- analysis, response, actions -------------------------------------------------------------

@transaction.atomic
def case_analyse(*, actor: User, case_id: int, version: int | None, triangle: dict,
                 causes: str, community_input: str, reason: str = "") -> Case:
    """Record the analysis (problem triangle, causes, community input); the case moves to
    analysis. Requires: write access to the case, in scanning or analysis."""
    case = _editable(actor, case_id, version, reason)
    _need_stage(case, Case.Stage.SCANNING, Case.Stage.ANALYSIS)
    errors: dict[str, str] = {}
    triangle = triangle if isinstance(triangle, dict) else {}
    clean = {}
    for key in TRIANGLE:
        clean[key] = _text(errors, f"triangle.{key}", str(triangle.get(key) or ""), limit=1000)
    unknown = set(triangle) - set(TRIANGLE)
    if unknown:
        errors["triangle"] = _("Unknown parts: %(keys)s.") % {"keys": ", ".join(sorted(unknown))[:200]}
    causes = _text(errors, "causes", causes)
    community_input = _text(errors, "community_input", community_input)
    _raise(errors)
    case.triangle, case.causes, case.community_input = clean, causes, community_input
    case.stage = Case.Stage.ANALYSIS
    return _touch(case, actor, "analysis", reason=reason)


def _action_errors(errors: dict, prefix: str, item: dict) -> dict:
    description = _text(errors, f"{prefix}description", item.get("description", ""), limit=500)
    kind = item.get("owner_kind", "")
    if kind not in Action.OwnerKind.values:
        errors[f"{prefix}owner_kind"] = _("Must be one of %(values)s.") % {
            "values": ", ".join(Action.OwnerKind.values)}
    owner = _text(errors, f"{prefix}owner_name", item.get("owner_name", ""), limit=150)
    due = item.get("due")
    if not isinstance(due, dt.date):
        errors[f"{prefix}due"] = _("Every action needs a due date.")
    return {"description": description, "owner_kind": kind, "owner_name": owner, "due": due}


@transaction.atomic
def case_respond(*, actor: User, case_id: int, version: int | None, plan: str,
                 actions: list[dict] | None = None, reason: str = "") -> Case:
    """Record the response plan with its actions (each with an owner and a due date); the
    case moves to response. Requires: write access, the case analysed."""
    case = _editable(actor, case_id, version, reason)
    _need_stage(case, Case.Stage.ANALYSIS, Case.Stage.RESPONSE)
    errors: dict[str, str] = {}
    plan = _text(errors, "plan", plan)
    new = [_action_errors(errors, f"actions.{i}.", a) for i, a in enumerate(actions or [])]
    if not new and not case.actions.exclude(status=Action.Status.CANCELLED).exists():
        errors["actions"] = _("The plan needs at least one action with an owner and a due date.")
    _raise(errors)
    for a in new:
        Action.objects.create(case=case, **a)
    case.plan, case.stage = plan, Case.Stage.RESPONSE
    return _touch(case, actor, "response", plan[:300], reason=reason, detail={"actions": len(new)},
                  facts={"actions": len(new)})


@transaction.atomic
def action_add(*, actor: User, case_id: int, version: int | None, description: str, owner_kind: str,
               owner_name: str, due: dt.date | None, reason: str = "") -> Action:
    """Add an action to the plan. Requires: write access, the case analysed (or later)."""
    case = _editable(actor, case_id, version, reason)
    _need_stage(case, Case.Stage.ANALYSIS, Case.Stage.RESPONSE, Case.Stage.ASSESSMENT)
    errors: dict[str, str] = {}
    data = _action_errors(errors, "", {"description": description, "owner_kind": owner_kind,
                                       "owner_name": owner_name, "due": due})
    _raise(errors)
    action = Action.objects.create(case=case, **data)
    _touch(case, actor, "action_added", f"{action.description[:200]} ({action.owner_name}, {action.due})",
           reason=reason, detail={"action": action.pk},
           facts={"action": action.description[:200], "owner": action.owner_name,
                  "due": action.due.isoformat()})
    return action


@transaction.atomic
def action_update(*, actor: User, case_id: int, version: int | None, action_id: int, status: str,
                  due: dt.date | None = None, reason: str = "") -> Action:
    """Move an action to a status (or a new due date). Requires: write access to its case."""
    case = _editable(actor, case_id, version, reason)
    action = case.actions.filter(pk=action_id).first()
    if action is None:
        raise ValidationError({"action_id": _("No action %(id)s in this case.") % {"id": action_id}})
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Must be one of %(values)s.") % {
            "values": ", ".join(Action.Status.values)}})
    previous = action.status
    action.status = status
    action.due = due or action.due
    action.done_at = timezone.now() if status == Action.Status.DONE else None
    action.save()
    _touch(case, actor, "action_updated", f"{action.description[:200]}: {previous} -> {status}",
           reason=reason,
           detail={"action": action.pk, "from": previous, "to": status},
           facts={"action": action.description[:200], "from": previous, "to": status,
                  "due": action.due.isoformat()})
    return action


# --- assessment, closing, escalation ---------------------------------------------------------

@transaction.atomic
def case_assess(*, actor: User, case_id: int, version: int | None, outcome: str, evidence: str,
                community_satisfied: bool | None, reason: str = "") -> Case:
    """Record the assessment: outcome, evidence, whether the community is satisfied.
    Requires: write access, the case in response (or assessment, to correct it)."""
    case = _editable(actor, case_id, version, reason)
    _need_stage(case, Case.Stage.RESPONSE, Case.Stage.ASSESSMENT)
    errors: dict[str, str] = {}
    if outcome not in Case.Outcome.values:
        errors["outcome"] = _("Must be one of %(values)s.") % {"values": ", ".join(Case.Outcome.values)}
    evidence = _text(errors, "evidence", evidence)
    if community_satisfied is None:
        errors["community_satisfied"] = _("Say whether the community is satisfied.")
    _raise(errors)
    case.outcome, case.evidence, case.community_satisfied = outcome, evidence, community_satisfied
    case.assessed_at, case.stage = timezone.now(), Case.Stage.ASSESSMENT
    return _touch(case, actor, "assessment", case.get_outcome_display(), reason=reason,
                  detail={"outcome": outcome, "community_satisfied": community_satisfied},
                  facts={"outcome": outcome, "community_satisfied": community_satisfied})


DEFAULT_SUMMARY = {
    Case.Outcome.RESOLVED_MEDIATION: "Diselesaikan melalui musyawarah dan kesepakatan bersama.",
    Case.Outcome.RESOLVED_ACTION: "Diselesaikan melalui tindakan bersama polisi dan masyarakat.",
    Case.Outcome.REFERRED_CRIMINAL: "Diteruskan ke penyidik untuk ditangani secara hukum.",
    Case.Outcome.REFERRED_SERVICE: "Diteruskan ke layanan yang berwenang.",
    Case.Outcome.NOT_RESOLVED: "Belum dapat diselesaikan; pemantauan dilanjutkan.",
}


@transaction.atomic
def case_close(*, actor: User, case_id: int, version: int | None, public_summary: str = "",
               reason: str = "", at: dt.datetime | None = None) -> Case:
    """Close an assessed case; its reports are resolved (their reporters get word) with a
    public summary that reveals nothing of a sensitive matter. Requires: write access, the
    case assessed."""
    case = _editable(actor, case_id, version, reason)
    if case.stage != Case.Stage.ASSESSMENT or not case.outcome:
        raise ValidationError({"stage": _("A case cannot close without an assessment.")})
    errors: dict[str, str] = {}
    summary = _text(errors, "public_summary", public_summary, required=False, limit=500)
    _raise(errors)
    # A sensitive matter is never described in public, whatever the caller wrote.
    summary = "" if case.sensitive else (summary or DEFAULT_SUMMARY[case.outcome])
    case.public_summary, case.stage = summary, Case.Stage.CLOSED
    case.closed_at = at or timezone.now()
    status = Report.Status.CLOSED if case.outcome == Case.Outcome.NOT_RESOLVED else Report.Status.RESOLVED
    skipped = []
    for link in case.case_reports.select_related("report"):
        try:
            with override("id"):
                report_summary = summary or "Laporan Anda sudah ditangani."
            report_services.report_set_status(actor=actor, report_id=link.report_id, status=status,
                                              summary=report_summary)
        except (ReasonRequired, Http404, PermissionDenied):
            skipped.append(link.report_id)
    _issues_follow(case, actor, summary)
    note = case.get_outcome_display()
    if skipped:
        note += " " + _("Reports not updated (outside your reach): %(ids)s") % {
            "ids": ", ".join(map(str, skipped))}
    return _touch(case, actor, "closed", note, reason=reason, at=case.closed_at,
                  detail={"outcome": case.outcome, "reports_skipped": skipped},
                  facts={"outcome": case.outcome, "reports_skipped": skipped})


ISSUE_STATUS = {
    Case.Outcome.RESOLVED_MEDIATION: "resolved", Case.Outcome.RESOLVED_ACTION: "resolved",
    Case.Outcome.REFERRED_CRIMINAL: "referred", Case.Outcome.REFERRED_SERVICE: "referred",
    Case.Outcome.NOT_RESOLVED: "open",
}


def _issues_follow(case: Case, actor: User, summary: str) -> None:
    """Issues raised at a meeting and tracked by this case get its outcome ("you said, we did")."""
    for issue_id in MeetingIssue.objects.filter(case_id=case.pk).values_list("pk", flat=True):
        forum_services.meeting_issue_outcome_set(issue_id=issue_id, status=ISSUE_STATUS[case.outcome],
                                                 outcome_public=summary, actor=actor)


def cases_publish(*, case_ids: list[int] | None = None, progress=None) -> int:
    """Bring the forums' public pages up to date with the cases from reports and meeting issues
    (after an upgrade, an import or the demo's generator): each case's entry is written as its
    stage and public summary stand. No caller, the system acts; safe to re-run. Returns how many."""
    cases = (Case.objects.filter(source__in=[Case.Source.REPORT, Case.Source.MEETING])
             .select_related("category").order_by("pk"))
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    done = 0
    for case in cases.iterator(chunk_size=500):
        with transaction.atomic():
            _public_follow(case)
        done += 1
        if progress:
            progress(1)
    return done


# How often the task worker runs cases_escalate (core/periodic.py); `polmas cases_escalate`
# from cron does the same where no worker runs.
ESCALATION_EVERY = dt.timedelta(minutes=5)


def cases_escalate(*, now: dt.datetime | None = None) -> int:
    """Move open cases without activity for 7 days up to their Polsek supervisor (each once per
    quiet spell). Run by the task worker every ESCALATION_EVERY and by `polmas cases_escalate`;
    no caller, the system acts; safe to run twice at once. Returns how many moved."""
    now = now or timezone.now()
    stale = Case.objects.filter(stage__in=Case.OPEN_STAGES, last_activity_at__lt=now - ESCALATE_AFTER).filter(
        Q(escalated_at__isnull=True) | Q(escalated_at__lt=F("last_activity_at")))
    moved = 0
    for pk in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # Re-check under the lock: a concurrent run (or a fresh action) may have got here first.
            case = stale.select_for_update().filter(pk=pk).first()
            if case is None:
                continue
            unit = unit_for_region(code=case.village_id, kind=PoliceUnit.Kind.POLSEK) or case.unit
            case.unit, case.escalated_at = unit, now
            _touch(case, None, "escalated", unit.name if unit else "", activity=False, at=now,
                   detail={"unit": unit.pk if unit else None}, facts={"unit": unit.name if unit else ""})
            case_escalated(case)
            moved += 1
    return moved


@transaction.atomic
def case_note_add(*, actor: User, case_id: int, version: int | None, note: str,
                  reason: str = "") -> TimelineEntry:
    """Write a note on an open case's timeline (the field app sends these). Requires: write
    access to the case."""
    case = _editable(actor, case_id, version, reason)
    errors: dict[str, str] = {}
    text = _text(errors, "note", note, limit=2000)
    _raise(errors)
    _touch(case, actor, "note", text, reason=reason)
    return case.timeline.order_by("-pk").first()
