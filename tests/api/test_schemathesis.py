"""Schemathesis against the published OpenAPI document: every operation, valid and invalid
requests generated from the document, answered by the real app through WSGI.

Each operation is its own test on the demo database, rolled back after it, so every run
starts from the same state; generation is derandomized, so a run is repeatable. Requests
carry a supervisor's token (Polsek Tejakula); a generated id is mostly swapped for a real
one in the supervisor's scope, so the writes reach the services rather than a 404.

Checks: no server error, the status code and content type are documented, the body
matches the documented schema, and a request valid by the document is not refused
(4xx other than 401, 403, 404 and a documented 409) except for the reasons in ACCEPTED_REFUSALS.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from polmas.access.tokens import token_issue
from polmas.api import api as polmas_api

pytestmark = pytest.mark.django_db

SUPERVISOR = "kapolsek"
EXAMPLES = 10  # per operation and phase; all operations together run well over MIN_CASES
MIN_CASES = 1000

CONFIG = schemathesis.Config.from_dict({
    "base-url": "http://localhost",
    "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True,
                   "with-security-parameters": False, "database": "none"},
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True},
               "fuzzing": {"enabled": True}, "stateful": {"enabled": False}},
    "checks": {
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
        # Replaced by valid_requests_are_accepted below, which knows the refusals no schema can state.
        "positive_data_acceptance": {"enabled": False},
        "response_headers_conformance": {"enabled": False},
        "negative_data_rejection": {"enabled": False},
        "use_after_free": {"enabled": False},
        "ensure_resource_availability": {"enabled": False},
        "missing_required_header": {"enabled": False},
        "ignored_auth": {"enabled": False},
        "unsupported_method": {"enabled": False},
        "allow_header_conformance": {"enabled": False},
    },
})

# A request valid by the document may be refused only for lack of a right or a record (401,
# 403, 404), for a conflict (409), or with 400 naming a field whose rule no schema can state:
# a record it names that does not exist or lies outside the caller's scope, a time relative to
# today, a rule across fields, a step out of order. Everything else the document must say.
ACCEPTED = {200, 201, 204, 401, 403, 404, 409}
ACCEPTED_STATUS = {
    "POST /api/v1/auth/token": {429},  # the account is locked after repeated failures
    "POST /api/v1/reports": {429},  # too many anonymous reports from one address
}
# A step out of order ("stage"), a safety plan or risk checklist for a case that is not sensitive
# ("case"), an id that is not the case's ("action_id", "referral_id"), or a mediation its category
# does not allow ("category").
CASE_STEP = {"stage", "case", "category", "action_id", "referral_id"}
ACCEPTED_REFUSALS: dict[str, set[str]] = {
    # A district alarm needs one of its villages; an alarm with no report behind it opens no case.
    "POST /api/v1/alarms/{alarm_id}/case": {"village", "alarm"},
    "POST /api/v1/alarms/{alarm_id}/dismiss": {"reason"},
    "POST /api/v1/reports": {"category", "village", "occurred_at", "latitude", "longitude", "phone",
                             "email", "reply_channel"},
    "GET /api/v1/reports": {"region", "category", "until"},
    "GET /api/v1/reports/inbox": {"region", "category", "until"},
    "POST /api/v1/reports/{report_id}/status": {"summary", "status"},
    "POST /api/v1/reports/{report_id}/merge": {"into"},
    "POST /api/v1/reports/{report_id}/moderate": {"hide"},
    "POST /api/v1/reports/{report_id}/block": {"what"},  # the report has no phone, e-mail or client
    "POST /api/v1/cases": {"meeting_issue_id", "report_ids", "village", "category", "statement",
                           "title", "incidents_note"},
    **{f"POST /api/v1/cases/{{case_id}}/{step}": CASE_STEP
       for step in ("analysis", "response", "actions", "actions/{action_id}", "assessment", "close",
                    "mediation", "referrals", "referrals/{referral_id}", "safety-plan", "risk")},
    # A listed service that does not serve the case's village, or is not listed at all.
    "POST /api/v1/cases/{case_id}/referrals": {*CASE_STEP, "service_id"},
    # A date outside the programme's period (a partner's staff only get that far).
    "POST /api/v1/partner-activities": {"occurred_on"},
    # A meeting marked held before its time.
    **{f"POST /api/v1/forums/{path}": {"held_at"}
       for path in ("{forum_id}/meetings", "meetings/{meeting_id}", "meetings/{meeting_id}/held")},
    "POST /api/v1/forums/meetings/{meeting_id}/attendance": {"present"},  # not members of the forum
    "POST /api/v1/forums/meetings/{meeting_id}/issues": {"category_code"},
    "GET /api/v1/activities": {"until"},
    "POST /api/v1/activities": {"village", "occurred_at", "latitude", "longitude", "households", "topic",
                                "audience", "summary"},
    "POST /api/v1/rosters": {"village", "start"},
    "POST /api/v1/rosters/{roster_id}/swap": {"first", "second"},  # a swap that would break a rule
    "POST /api/v1/rosters/{roster_id}/check-in": {"place"},  # not tonight's shift
    "POST /api/v1/disaster-modes": {"prefix"},
    "POST /api/v1/disaster-modes/end": {"prefix"},
    # An officer who is not active in the caller's area; a case not waiting on an escalation.
    "POST /api/v1/cases/{case_id}/reassign": {"officer", *CASE_STEP},
    "POST /api/v1/cases/{case_id}/acknowledge": CASE_STEP,
    "POST /api/v1/cases/{case_id}/instruction": CASE_STEP,
    # No data for the places, a period outside the data, too small a pool, no variation.
    "POST /api/v1/evaluation/runs": {"intervention", "period_from", "period_to", "pool",
                                     "outcome"},
    # Planner parameters out of range, a region outside the caller's scope, a past target year.
    "POST /api/v1/planning/proposals": {"region", "k", "d_km", "move_penalty", "add_officers", "name"},
    "POST /api/v1/planning/proposals/{proposal_id}/apply": {"proposal"},
    "POST /api/v1/planning/targets": {"region", "year", "value", "indicator"},
    "POST /api/v1/planning/milestones": {"region", "title", "due", "owner_name"},
    # Partners, programmes and services (h25): places that do not exist or lie outside the
    # caller's scope, a name taken, a web address without its scheme, a period or comparison
    # villages across fields, an agreement or organisation not the caller's, text the database
    # cannot store (an unpaired surrogate); a linked record not the caller's or outside the
    # programme's places.
    "POST /api/v1/partners": {"name", "places", "website", "description",
                              *{f"contacts.{i}.{k}" for i in range(20)
                                for k in ("name", "position", "phone", "email")}},
    "PATCH /api/v1/partners/{organisation_id}": {"name", "places", "website", "description"},
    "POST /api/v1/programmes": {"name", "objectives", "places", "comparison", "ends_on", "agreement"},
    "PATCH /api/v1/programmes/{programme_id}": {"name", "objectives", "places", "comparison", "ends_on",
                                                "agreement"},
    "POST /api/v1/programmes/{programme_id}/links": {"object_id"},
    "POST /api/v1/services": {"name", "region", "address", "hours", "phone", "whatsapp", "organisation"},
    "PATCH /api/v1/services/{service_id}": {"name", "region", "address", "hours", "phone", "whatsapp",
                                            "organisation"},
}


def valid_requests_are_accepted(ctx, response, case):
    """Like schemathesis' positive_data_acceptance, with the refusals above allowed."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    label = case.operation.label
    status = response.status_code
    if status in ACCEPTED | ACCEPTED_STATUS.get(label, set()):
        return None
    if status == 400:
        fields = {e["field"] for e in response.json()["errors"]}
        unexpected = fields - ACCEPTED_REFUSALS.get(label, set())
        if fields and not unexpected:
            return None
        raise AssertionError(f"a request valid by the document was refused on {sorted(unexpected)}: "
                             f"{response.text}")
    raise AssertionError(f"a request valid by the document was refused with {status}: {response.text}")


RAN: Counter[str] = Counter()


APP = get_wsgi_application()
# The document /api/v1/openapi.json serves (schemathesis' lazy fixture loader does not run on
# pytest 9, and loading it over WSGI here, at collection, would pass the database blocker).
schema = schemathesis.openapi.from_dict(polmas_api.get_openapi_schema(), config=CONFIG)
schema.app = APP  # requests go to the app in process, as from_wsgi would arrange


@pytest.fixture
def in_process():
    """Keep the test's database connection open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer():
    from conftest import person

    return {"Authorization": f"Bearer {token_issue(user=person(SUPERVISOR), name='schemathesis')}"}


TEJAKULA = "51.08.09."  # the supervisor's district


def _in_scope(model, field: str = "village") -> list[int]:
    return list(model.objects.filter(**{f"{field}__pk__startswith": TEJAKULA}).order_by("pk")
                .values_list("pk", flat=True)[:50])


def _pick(pool: list[int], generated: object) -> object:
    """A real id chosen by the generated one, or (one time in len(pool) + 1) the generated one."""
    if not pool or not str(generated).isdigit():
        return generated
    index = int(str(generated)) % (len(pool) + 1)
    return str(pool[index]) if index < len(pool) else generated


def _real_records(case) -> None:
    """Point a valid request at records in the supervisor's scope, with their current version,
    so that it reaches the services rather than a 404 or a 409."""
    from polmas.activities.models import Activity, Roster
    from polmas.cases.models import Action, Case, Referral
    from polmas.forums.models import Forum, Meeting, MeetingActionItem
    from polmas.policing.models import Officer, PoliceUnit
    from polmas.reports.models import Report

    params = case.path_parameters
    if not params or case.meta is None or not case.meta.generation.mode.is_positive:
        return
    record = None
    for name, model in (("case_id", Case), ("meeting_id", Meeting), ("report_id", Report),
                        ("roster_id", Roster)):
        if name in params:
            params[name] = _pick(_in_scope(model), params[name])
            record = model.objects.filter(pk=params[name]).first()
    if "action_id" in params and record is not None:
        items = Action if isinstance(record, Case) else MeetingActionItem
        owner = "case" if isinstance(record, Case) else "meeting"
        pool = list(items.objects.filter(**{owner: record}).order_by("pk").values_list("pk", flat=True))
        params["action_id"] = _pick(pool, params["action_id"])
    if "referral_id" in params and isinstance(record, Case):
        pool = list(Referral.objects.filter(case=record).order_by("pk").values_list("pk", flat=True))
        params["referral_id"] = _pick(pool, params["referral_id"])
    for name, model, field in (("forum_id", Forum, "village"), ("activity_id", Activity, "village"),
                               ("unit_id", PoliceUnit, "region"), ("officer_id", Officer, "unit__region")):
        if name in params:
            params[name] = _pick(_in_scope(model, field), params[name])
    if record is not None and isinstance(case.body, dict) and isinstance(case.body.get("version"), int):
        case.body["version"] = record.version


def _build_records() -> None:
    """Records in the supervisor's scope for the requests to reach: a case in each stage (one
    with a referral), reports, a held meeting with an action item and a generated roster."""
    import datetime as dt

    from django.utils import timezone

    from cases.helpers import LES, mediate, open_case, report, walk
    from conftest import person
    from polmas.activities import rosters
    from polmas.cases import mediation
    from polmas.forums import services as forums
    from polmas.forums.models import Forum

    for stage in ("scanning", "analysis", "response", "assessment", "closed"):
        case = walk(open_case(), stage)
    first = open_case()
    mediate(first)
    first.refresh_from_db()
    mediation.referral_create(actor=person("bhabin"), case_id=first.pk, version=first.version,
                              to="village_government", note="Perbekel menengahi.")
    report(), report(category="theft")
    fkpm = person("fkpm")
    meeting, _ = forums.meeting_create(actor=fkpm, forum=Forum.objects.get(members__user=fkpm),
                                       held_at=timezone.now() - dt.timedelta(days=7),
                                       agenda="Keamanan pantai", place="Balai Banjar", status="held")
    forums.meeting_action_add(actor=fkpm, meeting_id=meeting.pk, version=meeting.version,
                              description="Jadwal ronda pantai", owner_name="Kelian Banjar")
    volunteers = [rosters.VolunteerInput(name=f"Relawan {i}") for i in range(1, 7)]
    roster = rosters.roster_save(actor=person("kapolsek"), data=rosters.RosterInput(
        village=LES, name="Ronda Les", start=timezone.localdate(), nights=7, posts=["Pos Pantai"],
        volunteers=volunteers))
    rosters.roster_generate(actor=person("kapolsek"), roster_id=roster.pk, version=roster.version)
    del case


@pytest.fixture
def records():
    """records() builds them on the first example of a test; the test's rollback removes them."""
    built: list[bool] = []

    def _records() -> None:
        if not built:
            _build_records()
            built.append(True)

    return _records


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_answers_as_documented(case, in_process, bearer, records):
    RAN[case.operation.label] += 1
    if case.path_parameters:
        records()
    _real_records(case)
    case.call_and_validate(headers=bearer, additional_checks=[valid_requests_are_accepted])


def test_at_least_a_thousand_cases_ran():
    assert RAN, "run the whole file: the count comes from the tests above"
    print(f"schemathesis: {sum(RAN.values())} cases over {len(RAN)} operations")
    assert sum(RAN.values()) >= MIN_CASES, RAN
