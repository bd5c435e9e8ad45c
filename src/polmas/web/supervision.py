"""The supervisor's and the PPA officer's work queues, composed from the apps' scoped selectors:
each case listed once (escalated, or else overdue), paged, filtered by stage, sensitivity,
village and overdue; a count in each heading. Nothing here writes."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.scope import scope_for
from polmas.cases import queues
from polmas.cases import selectors as case_selectors
from polmas.cases.models import Action, Case, CaseReport, Referral, RiskAssessment
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports.models import Report
from polmas.reports.selectors import report_list

PAGE = 10


@dataclass
class Filters:
    stage: str = ""
    sensitive: str = ""  # "", "yes", "no"
    village: str = ""
    overdue: bool = True  # the supervisor's open list: only the overdue cases unless asked

    def apply(self, qs: QuerySet[Case]) -> QuerySet[Case]:
        if self.stage:
            qs = qs.filter(stage=self.stage)
        if self.sensitive:
            qs = qs.filter(sensitive=self.sensitive == "yes")
        if self.village:
            qs = qs.filter(village_id=self.village)
        return qs

    def query(self) -> str:
        q = QueryDict(mutable=True)
        for key in ("stage", "sensitive", "village"):
            if getattr(self, key):
                q[key] = getattr(self, key)
        if not self.overdue:
            q["overdue"] = "0"
        return q.urlencode()


def filters_parse(user: User, params: QueryDict) -> tuple[Filters, dict[str, str]]:
    """The queue's filters from the query string, and an error per field refused."""
    errors: dict[str, str] = {}
    f = Filters()
    stage = params.get("stage", "")
    if stage and stage not in Case.OPEN_STAGES:
        errors["stage"] = _("Unknown stage: choose one of the open stages.")
    else:
        f.stage = stage
    sensitive = params.get("sensitive", "")
    if sensitive not in ("", "yes", "no"):
        errors["sensitive"] = _("Choose yes, no or nothing.")
    else:
        f.sensitive = sensitive
    village = params.get("village", "").strip()
    if village:
        if not (codes.is_valid(village) and codes.level_of(village) == codes.VILLAGE
                and Region.objects.filter(code=village).exists()):
            errors["village"] = _("No village has code %(code)s.") % {"code": village[:20]}
        elif not scope_for(user).covers(village):
            errors["village"] = _("This village is outside your area.")
        else:
            f.village = village
    overdue = params.get("overdue", "1")
    if overdue not in ("0", "1"):
        errors["overdue"] = _("Choose 1 (only overdue cases) or 0 (every open case).")
    else:
        f.overdue = overdue == "1"
    return f, errors


def _page(qs: QuerySet, params: QueryDict, key: str) -> Page:
    return Paginator(qs, PAGE).get_page(params.get(key))


def _rows(user: User, page: Page) -> list[dict]:
    today = timezone.localdate()
    out = []
    for c in page:
        quiet = (timezone.now() - c.last_activity_at).days
        late = quiet >= 7 or (c.next_due is not None and c.next_due < today)
        out.append({"case": c, "sealed": not case_selectors.can_read_sealed(user, c),
                    "quiet_days": quiet, "late": late})
    return out


def _with_due(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.annotate(next_due=Min("actions__due", filter=Q(actions__status__in=queues.OPEN_ACTION)))


def supervisor_cases(user: User, params: QueryDict, f: Filters) -> dict:
    """The escalated cases and the other open (by default: overdue) cases, each paged."""
    escalated = f.apply(queues.cases_escalated(user=user))
    if f.overdue:
        others = queues.cases_overdue(user=user)
    else:
        others = (case_selectors.case_list(user=user, sealed_listed=True)
                  .filter(stage__in=Case.OPEN_STAGES).exclude(queues.escalated_q())
                  .select_related("assigned_officer").order_by("last_activity_at", "pk"))
    others = f.apply(others)
    esc_page = _page(_with_due(escalated), params, "ep")
    other_page = _page(_with_due(others), params, "op")
    villages = (Region.objects.filter(code__in=case_selectors.case_list(user=user, sealed_listed=True)
                                      .filter(stage__in=Case.OPEN_STAGES).values("village_id"))
                .select_related("parent").order_by("name")[:300])
    return {
        "filters": f, "query": f.query(),
        "escalated_page": esc_page, "escalated": _rows(user, esc_page),
        "others_page": other_page, "others": _rows(user, other_page),
        "stage_choices": [(s, Case.Stage(s).label) for s in Case.OPEN_STAGES],
        "villages": [(v.code, f"{v.name} ({v.parent.name})") for v in villages],
    }


# --- PPA ------------------------------------------------------------------------------------

def ppa_queue(user: User, params: QueryDict) -> dict:
    """The PPA officer's queue: the open sensitive cases in scope with their latest risk level
    and next follow-up, and the sensitive reports routed to PPA not yet in a case."""
    today = timezone.localdate()
    latest_risk = RiskAssessment.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk")
    waiting = Referral.objects.filter(case=OuterRef("pk"), status=Referral.Status.SENT)
    cases = (case_selectors.case_list(user=user).filter(sensitive=True, stage__in=Case.OPEN_STAGES)
             .select_related("assigned_officer")
             .annotate(next_due=Min("actions__due", filter=Q(actions__status__in=queues.OPEN_ACTION)),
                       risk=Subquery(latest_risk.values("level")[:1]),
                       referral_waiting=Exists(waiting))
             .order_by(F("next_due").asc(nulls_last=True), "last_activity_at", "pk"))
    page = _page(cases, params, "cp")
    levels = dict(RiskAssessment.Level.choices)
    rows = [{"case": c, "risk": c.risk, "risk_label": levels.get(c.risk, ""),
             "late": c.next_due is not None and c.next_due < today,
             "due_soon": c.next_due is not None and today <= c.next_due <= today + dt.timedelta(days=7)}
            for c in page]
    in_case = CaseReport.objects.values("report_id")
    reports = (report_list(user=user).filter(sensitive=True, spam=False, duplicate_of__isnull=True)
               .exclude(pk__in=in_case).exclude(status__in=[Report.Status.RESOLVED, Report.Status.CLOSED])
               .order_by("-created_at", "-pk"))
    report_page = _page(reports, params, "rp")
    overdue_actions = queues.actions_overdue(user=user, cases=cases)
    return {"cases_page": page, "cases": rows, "reports_page": report_page,
            "reports": [{"report": r, "disaster_first": False} for r in report_page],
            "overdue_actions": list(overdue_actions.filter(case__sensitive=True)[:PAGE]),
            "overdue_action_count": overdue_actions.filter(case__sensitive=True).count(),
            "risk_high": cases.filter(risk=RiskAssessment.Level.HIGH).count(),
            "actions_due": Action.objects.filter(case__in=cases.values("pk"),
                                                 status__in=queues.OPEN_ACTION,
                                                 due__lte=today + dt.timedelta(days=7)).count()}
