"""The machinery behind the authorisation matrix: rows, expectations, enumeration, requests,
and the check that a refused write changed nothing. The tables live in the test modules."""

import copy
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

from matrix.conftest import Callers
from matrix.world import REASON, ROLES, World
from polmas.access.models import ApiToken
from polmas.activities.models import Activity, DisasterMode, Roster, ShiftVolunteer
from polmas.cases.models import Action, Case, Mediation, Referral, RiskAssessment, SafetyPlan, TimelineEntry
from polmas.earlywarning.models import Alarm
from polmas.forums.models import Attendance, Decision, Meeting, MeetingActionItem, MeetingIssue
from polmas.partners.models import (
    Agreement,
    Contact,
    Organisation,
    PartnerActivity,
    PartnerReport,
    Programme,
    ProgrammeLink,
    Service,
)
from polmas.reports.models import Block, Event, Feedback, MeToo, Report

# Target kinds: a record in the Bali roles' scope, one outside it, a sealed one (no reason
# given), the same sealed one with a reason (`?reason=` on the API; a `reason` in the body of
# a case write), and "-" for an endpoint that aims at no record.
KINDS = ("in", "out", "sealed", "reason", "-")
Body = Callable[[World, dict], dict]


@dataclass(frozen=True)
class Row:
    """One endpoint of the matrix.

    family: which records of the world fill the URL (None: no record, the one target "-");
    expect: target kind -> "role,role=status ... *=status" (`*` is every role not named);
    body:   (world, target params) -> the JSON body (API) or form data (pages) of a POST;
    query:  extra query parameters; url: the URL when the route cannot be filled in by name;
    listed: for a list, where each target shows in it: the id field of the API's items
            ("case_id": an item with that id) or a text of the page ("data-case=\"{case_id}\"").
            Each role asks once; per target the row reads 200 when the record is listed,
            403 when it is listed as sealed (its id only), 404 when it is not, or the list's
            own status when that is not 200.
    """

    family: str | None
    expect: dict[str, str]
    body: Body | None = None
    query: dict = field(default_factory=dict)
    url: str | None = None
    listed: str | None = None


def expected(spec: str) -> dict[str, str]:
    """ "anon=401 bhabin,ppa=200w *=404" -> {role: status} for every role ("w": it wrote)."""
    named: dict[str, str] = {}
    default = None
    for part in spec.split():
        roles, _, status = part.partition("=")
        for role in roles.split(","):
            assert re.fullmatch(r"\d{3}w?", status), f"bad status {status!r} in {spec!r}"
            if role == "*":
                default = status
            else:
                assert role in ROLES, f"unknown role {role!r} in {spec!r}"
                named[role] = status
    missing = [r for r in ROLES if r not in named]
    assert default is not None or not missing, f"{spec!r} names no status for {missing}"
    return {r: named.get(r, default) for r in ROLES}


def spec_of(got: dict[str, str]) -> str:
    """The inverse of expected(): the line to paste into a table, most common status as `*`."""
    common = Counter(got.values()).most_common(1)[0][0]
    groups: dict[str, list[str]] = {}
    for role in ROLES:
        if got[role] != common:
            groups.setdefault(got[role], []).append(role)
    return " ".join([f"{','.join(r)}={s}" for s, r in groups.items()] + [f"*={common}"])


# --- enumeration ---------------------------------------------------------------------------------


def api_operations() -> set[tuple[str, str]]:
    """Every operation of the OpenAPI document, as (METHOD, path)."""
    from polmas.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}


def _walk(patterns: list, prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append(prefix + str(p.pattern))
    return found


def url_patterns() -> set[str]:
    """Every URL pattern Django resolves, minus the API operations the OpenAPI document lists."""
    api_routes = {re.sub(r"\{(\w+)\}", r"<\1>", p).removeprefix("/") for _, p in api_operations()}
    return {p for p in _walk(get_resolver().url_patterns) if p not in api_routes}


# --- what a refused write must leave alone --------------------------------------------------------

COUNTED: list[type[Model]] = [
    Case,
    Action,
    Referral,
    Mediation,
    SafetyPlan,
    RiskAssessment,
    TimelineEntry,
    Report,
    Block,
    Event,
    Feedback,
    MeToo,
    Meeting,
    Decision,
    MeetingActionItem,
    MeetingIssue,
    Attendance,
    Activity,
    Roster,
    ShiftVolunteer,
    DisasterMode,
    ApiToken,
    Alarm,
    Agreement,
    PartnerActivity,
    PartnerReport,
    Organisation,
    Programme,
    ProgrammeLink,
    Service,
    Contact,
]
ROWS: dict[str, type[Model]] = {
    "alarm_id": Alarm,
    "case_id": Case,
    "report_id": Report,
    "meeting_id": Meeting,
    "roster_id": Roster,
    "referral_id": Referral,
    "issue_id": MeetingIssue,
    "first": ShiftVolunteer,
    "second": ShiftVolunteer,
    "place": ShiftVolunteer,
    "activity_id": Activity,
    "agreement_id": Agreement,
    "programme_id": Programme,
    "organisation_id": Organisation,
    "service_id": Service,
    "link_id": ProgrammeLink,
    "contact_id": Contact,
}


def fingerprint(family: str | None, params: dict) -> tuple:
    """Counts of every table a write could add to, and the target's own rows as they stand."""
    rows = []
    for name, value in params.items():
        model = ROWS.get(name)
        if name == "action_id":
            model = MeetingActionItem if family == "meeting" else Action
        if model is not None:
            rows.append(list(model.objects.filter(pk=value).values()))
        if name == "prefix":
            rows.append(list(DisasterMode.objects.filter(prefix=value).values()))
    return tuple(m.objects.count() for m in COUNTED), rows


# --- asking ---------------------------------------------------------------------------------------


def fill(template: str, params: dict) -> str:
    """ "/api/v1/cases/{case_id}" or "kasus/<int:case_id>/" with the target's parameters."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
    path = path.format(**params)
    return path if path.startswith("/") else "/" + path


def ask(callers: Callers, api: bool, method: str, url: str, role: str, query: dict, body: dict | None):
    if api:
        client = callers.api
        headers = {"Authorization": f"Bearer {callers.tokens[role]}"} if role in callers.tokens else {}
        if method == "GET":
            return client.get(url, query, headers=headers)
        target = f"{url}?{urlencode(query)}" if query else url
        return client.generic(
            method, target, json.dumps(body or {}), content_type="application/json", headers=headers
        )
    client = callers.pages[role]
    if method == "GET":
        return client.get(url, query)
    target = f"{url}?{urlencode(query)}" if query else url
    return client.post(target, body or {})


def targets(world: World, row: Row) -> list[tuple[str, dict]]:
    if row.family is None:
        return [("-", {})]
    found = world.targets[row.family]
    kinds = [k for k in ("in", "out", "sealed", "reason") if k in row.expect]
    missing = [k for k in kinds if ("sealed" if k == "reason" else k) not in found]
    assert not missing, f"the world has no {row.family!r} record of kind {missing}"
    return [(k, found["sealed" if k == "reason" else k]) for k in kinds]


# The sealed case's victim, as world.py writes it: no answer may carry it but to the assigned
# officer, the PPA officer and the admin, or to a supervisor in scope who gave a reason.
SECRETS = (b"Ni Made Korban", b"081977553311")
SEE_SECRETS = {"bhabin", "ppa", "admin"}
SEE_WITH_REASON = {"kapolsek", "kapolres", "kapolda"}


def _secret_leak(response, role: str, kind: str) -> bool:
    if role in SEE_SECRETS or (kind == "reason" and role in SEE_WITH_REASON):
        return False
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return any(secret in content for secret in SECRETS)


def _listed(response, row: Row, params: dict, api: bool) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    assert row.listed
    if not api:
        return "200" if row.listed.format(**params).encode() in response.content else "404"
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    item = next((i for i in items if i.get("id") == params[row.listed]), None)
    if item is None:
        return "404"
    return "403" if item.get("sealed") else "200"


def run_list(world: World, callers: Callers, template: str, row: Row, *, api: bool) -> list[str]:
    """A list, asked once per role; each target's line says whether it was listed."""
    got: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    kinds = targets(world, row)
    for role in ROLES:
        response = ask(callers, api, "GET", fill(row.url or template, {}), role, dict(row.query), None)
        if _secret_leak(response, role, "-"):
            problems.append(f"{role} read the sealed case's victim in GET {template}")
        for kind, params in kinds:
            got.setdefault(kind, {})[role] = _listed(response, row, params, api)
    for kind, _ in kinds:
        if not row.expect.get(kind):
            problems.append(f"{kind}: no expectation; today: {kind!r}: {spec_of(got[kind])!r}")
            continue
        want = expected(row.expect[kind])
        wrong = [f"{r} {want[r]}->{got[kind][r]}" for r in ROLES if want[r] != got[kind][r]]
        if wrong:
            problems.append(f"{kind} listed: {', '.join(wrong)}; today: {kind!r}: {spec_of(got[kind])!r}")
    return problems


def run(world: World, callers: Callers, method: str, template: str, row: Row, *, api: bool) -> list[str]:
    """Ask every role for every target; return the mismatches (empty: all as expected), each
    with the line that would describe what the code does today."""
    if row.listed:
        return run_list(world, callers, template, row, api=api)
    problems: list[str] = []
    for kind, params in targets(world, row):
        got: dict[str, str] = {}
        for role in ROLES:
            query = dict(row.query)
            if kind == "reason" and method == "GET":
                query["reason"] = REASON
            with transaction.atomic():
                body = row.body(world, params) if row.body else None
                if kind == "reason" and body is not None and api:
                    body["reason"] = REASON
                before = fingerprint(row.family, params) if method != "GET" else None
                url, _, inline = fill(row.url or template, params).partition("?")
                query = {**dict(parse_qsl(inline)), **query}
                cookies = copy.deepcopy(callers.pages[role].cookies)  # a logout must not stick
                response = ask(callers, api, method, url, role, query, body)
                callers.pages[role].cookies = cookies
                changed = before is not None and fingerprint(row.family, params) != before
                got[role] = f"{response.status_code}{'w' if changed else ''}"
                if _secret_leak(response, role, kind):
                    problems.append(f"{kind}: {role} read the sealed case's victim in {method} {url}")
                if changed and response.status_code >= 400:
                    problems.append(
                        f"{kind}: {role} was refused ({response.status_code}) "
                        f"but {method} {url} changed the database"
                    )
                transaction.set_rollback(True)
        if not row.expect.get(kind):
            problems.append(f"{kind}: no expectation; today: {kind!r}: {spec_of(got)!r}")
            continue
        want = expected(row.expect[kind])
        wrong = [f"{r} {want[r]}->{got[r]}" for r in ROLES if want[r] != got[r]]
        if wrong:
            problems.append(f"{kind}: {', '.join(wrong)}; today: {kind!r}: {spec_of(got)!r}")
    return problems
