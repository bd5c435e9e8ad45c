"""The authorisation matrix of the API: every OpenAPI operation x every role x a record in
scope, out of scope and sealed. See tests/matrix/test_page_matrix.py for the pages and the
module docstring there for how to place a new endpoint."""

import pytest

from matrix.bodies import API as B
from matrix.harness import Row, api_operations, run

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
NO_UPLOAD = "00000000-0000-4000-8000-000000000000"
# A write to a case, as the SARA steps answer it: fkpm reads the case but may not write (403).
CASE_WRITE = {
    "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
    "out": "anon=401 admin,kapolsek_depok=200w *=404",
    "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
    "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200w",
}

# Managing an officer (policing services): an admin or a supervisor over the officer's unit;
# police and planners who read the officer get 403, others 404.
OFFICER_WRITE = {
    "in": "anon=401 bhabin,ppa,bappenas=403 kapolsek,kapolres,kapolda,admin=200 *=404",
    "out": "anon=401 bappenas=403 admin,kapolsek_depok=200 *=404",
}

# A supervisor's write on a case (cases.supervision): police who read the case but do not
# supervise get 403; a sealed case needs the supervisor's reason (403 without).
SUPERVISOR_WRITE = {
        "in": "anon=401 bhabin,fkpm,ppa=403 kapolsek,kapolres,kapolda,admin=200w *=404",
        "out": "anon=401 admin,kapolsek_depok=200w *=404",
        "sealed": "anon=401 bhabin,kapolsek,kapolres,kapolda,ppa=403 admin=200w *=404",
        "reason": "anon=401 bhabin,ppa=403 kapolsek,kapolres,kapolda,admin=200w *=404",
    }

# Early-warning alarms: a Bhabinkamtibmas sees those naming their village; supervisors, PPA and
# admin those in their area, sensitive (district) ones included; everyone else 404.
ALARM_READ = {
    "in": "anon=401 bhabin,kapolsek,kapolres,kapolda,ppa,admin=200 *=404",
    "out": "anon=401 admin,kapolsek_depok=200 *=404",
    "sealed": "anon=401 kapolsek,kapolres,kapolda,ppa,admin=200 *=404",
}
ALARM_WRITE = {k: v.replace("=200", "=200w") for k, v in ALARM_READ.items()}

TABLE: dict[tuple[str, str], Row] = {
    ("GET", f"{V1}/alarms"): Row("alarm", ALARM_READ, listed="alarm_id"),
    ("GET", f"{V1}/alarms/{{alarm_id}}"): Row("alarm", ALARM_READ),
    ("POST", f"{V1}/alarms/{{alarm_id}}/acknowledge"): Row("alarm", ALARM_WRITE),
    ("POST", f"{V1}/alarms/{{alarm_id}}/dismiss"): Row(
        "alarm", ALARM_WRITE, lambda w, t: {"reason": "Laporan ganda"}),
    ("POST", f"{V1}/alarms/{{alarm_id}}/case"): Row(
        "alarm", ALARM_WRITE, lambda w, t: {"village": t["village"]}),
    # Surveys: no demo role is an enumerator (403); a response is never readable by anyone.
    ("GET", f"{V1}/surveys/assignments"): Row(None, {"-": "anon=401 *=403"}),
    ("POST", f"{V1}/surveys/interviews"): Row(None, {"-": "anon=401 *=403"}, lambda w, t: {
        "sample": 1, "village": "51.08.09.2007", "client_uuid": "2f0c5c39-4a9b-4c38-9b7e-6f1f0e2a9d11",
        "consent": True, "answers": {"consent": "yes"}}),
    ("GET", f"{V1}/surveys/estimates"): Row(None, {"-": "anon=401 *=200"}),
    # Impact evaluation (issue 18): planners, supervisors and the admin. The matrix world has
    # no intervention: an unknown one answers 404; so does a run that does not exist. The
    # survey outcomes (feel_safe, trust_police) go through the same POST, same roles.
    ("GET", f"{V1}/evaluation/interventions"): Row(
        None, {"-": "anon=401 warga,bhabin,fkpm,ppa,mitra=403 *=200"}),
    ("POST", f"{V1}/evaluation/runs"): Row(
        None, {"-": "anon=401 warga,bhabin,fkpm,ppa,mitra=403 *=404"}, lambda w, t: {
        "intervention": "no-such", "outcome": "reports", "pool": "never"}),
    ("GET", f"{V1}/evaluation/runs/{{run_id}}"): Row(
        None, {"-": "anon=401 warga,bhabin,fkpm,ppa,mitra=403 *=404"},
                                                     url=f"{V1}/evaluation/runs/999999"),
    ("POST", f"{V1}/auth/token"): Row(None, {"-": "*=200w"}, B["token"]),
    ("POST", f"{V1}/auth/refresh"): Row(None, {"-": "*=401"}, B["refresh"]),
    ("POST", f"{V1}/auth/revoke"): Row(None, {"-": "anon=401 *=204"}),
    ("GET", f"{V1}/me"): Row(None, {"-": "anon=401 *=200"}),
    # Road map and planner (planning).
    ("POST", f"{V1}/planning/proposals"): Row(
        "district", {
            "in": "anon=401 kapolsek,kapolres,kapolda,bappenas,admin=200 kapolsek_depok=400 *=403",
            "out": "anon=401 kapolsek,kapolres,kapolda=400 bappenas,admin,kapolsek_depok=200 *=403"},
        lambda w, t: {"region": t["code"], "k": 3, "d_km": 10}),
    ("GET", f"{V1}/planning/proposals"): Row(None, {"-": "anon=401 *=200"}),
    ("GET", f"{V1}/planning/proposals/{{proposal_id}}"): Row("proposal", {
        "in": "anon=401 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
        "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404"}),
    ("POST", f"{V1}/planning/proposals/{{proposal_id}}/apply"): Row("proposal", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=200 bappenas=403 *=404",
        "out": "anon=401 bappenas=403 admin,kapolsek_depok=200 *=404"}, lambda w, t: {}),
    ("POST", f"{V1}/planning/targets"): Row(
        "regency", {
            "in": "anon=401 kapolsek,kapolsek_depok=400 kapolres,kapolda,bappenas,admin=200 *=403",
            "out": "anon=401 kapolsek,kapolres,kapolda,kapolsek_depok=400 bappenas,admin=200 *=403"},
        lambda w, t: {"region": t["code"], "indicator": "officer_coverage", "year": 2030, "value": 80}),
    ("POST", f"{V1}/planning/milestones"): Row(
        "regency", {
            "in": "anon=401 kapolsek,kapolsek_depok=400 kapolres,kapolda,bappenas,admin=200 *=403",
            "out": "anon=401 kapolsek,kapolres,kapolda,kapolsek_depok=400 bappenas,admin=200 *=403"},
        lambda w, t: {"region": t["code"], "title": "Gelombang pelatihan", "owner": "polda",
                      "due": "2030-06-30"}),
    ("PATCH", f"{V1}/planning/milestones/{{milestone_id}}"): Row(
        "milestone", {
            "in": "anon=401 kapolsek=403 kapolres,kapolda,bappenas,admin=200 *=404",
            "out": "anon=401 kapolsek_depok=403 bappenas,admin=200 *=404"},
        lambda w, t: {"status": "in_progress"}),
    ("GET", f"{V1}/planning/progress"): Row(
        "regency", {"in": "anon=401 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
                    "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404"},
        query={"year": 2030}, url=f"{V1}/planning/progress?region={{code}}"),
    ("GET", f"{V1}/audit"): Row(
        "case",
        {
            "in": "anon=401 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
            "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200 *=403",
            "sealed": "anon=401 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
        },
        url=f"{V1}/audit?object=case:{{case_id}}",
    ),
    ("GET", f"{V1}/regions"): Row(None, {"-": "anon=401 *=200"}),
    ("GET", f"{V1}/regions/nearest"): Row(None, {"-": "anon=401 *=200"}, query={"lat": -8.06, "lon": 115.2}),
    ("GET", f"{V1}/regions/{{code}}"): Row("village", {"in": "anon=401 *=200", "out": "anon=401 *=200"}),
    ("GET", f"{V1}/units"): Row(None, {"-": "anon=401 *=200"}),
    ("GET", f"{V1}/units/{{unit_id}}"): Row(
        "unit",
        {
            "in": "anon=401 warga,bhabin,fkpm,kapolsek_depok=404 *=200",
            "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404",
        },
    ),
    ("GET", f"{V1}/officers"): Row(None, {"-": "anon=401 *=200"}),
    ("GET", f"{V1}/officers/{{officer_id}}"): Row(
        "officer",
        {
            "in": "anon=401 warga,fkpm,mitra,kapolsek_depok=404 *=200",
            "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404",
        },
    ),
    ("GET", f"{V1}/forums"): Row(None, {"-": "anon=401 *=200"}),
    ("GET", f"{V1}/forums/{{forum_id}}"): Row(
        "forum",
        {
            "in": "anon=401 warga,kapolsek_depok=404 *=200",
            "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404",
        },
    ),
    ("GET", f"{V1}/forums/meetings"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
        },
        listed="meeting_id",
        query={"limit": 500},
    ),
    ("GET", f"{V1}/forums/meetings/{{meeting_id}}"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["meeting_edit"],
    ),
    ("GET", f"{V1}/forums/{{forum_id}}/meetings"): Row(
        "forum",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("POST", f"{V1}/forums/{{forum_id}}/meetings"): Row(
        "forum",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=201w",
            "out": "anon=401 admin,kapolsek_depok=201w *=404",
        },
        B["meeting_new"],
    ),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/held"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
        },
        B["meeting_held"],
    ),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/attendance"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["attendance"],
    ),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/decisions"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["decision"],
    ),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/actions"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["meeting_action"],
    ),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/actions/{{action_id}}"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["meeting_action_status"],
    ),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/issues"): Row(
        "meeting",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["issue"],
    ),
    ("POST", f"{V1}/reports"): Row("village", {"in": "*=201w", "out": "*=201w"},
        B["report"]),
    ("GET", f"{V1}/reports"): Row(
        "report",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200 *=404",
        },
        listed="report_id",
        query={"limit": 500},
    ),
    ("GET", f"{V1}/reports/inbox"): Row(
        "report",
        {
            "in": "anon=401 bhabin,fkpm=200 *=404",
            "out": "anon=401 *=404",
            "sealed": "anon=401 bhabin,ppa=200 *=404",
        },
        listed="report_id",
        query={"limit": 500},
    ),
    # Marks the caller's own inbox entries seen; ids not in their inbox are ignored (200, and
    # nothing of anyone else's changes: tests/reports/test_inbox_seen.py checks the rows).
    ("POST", f"{V1}/reports/inbox/seen"): Row(
        "report",
        {"in": "anon=401 *=200", "out": "anon=401 *=200", "sealed": "anon=401 *=200"},
        lambda w, t: {"ids": [t["report_id"]]},
    ),
    ("POST", f"{V1}/reports/status"): Row(
        "report", {"in": "*=200", "out": "*=200", "sealed": "*=200"}, B["status"]
    ),
    ("GET", f"{V1}/reports/{{report_id}}"): Row(
        "report",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200 kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200",
        },
    ),
    ("POST", f"{V1}/reports/{{report_id}}/status"): Row(
        "report",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
        },
        B["report_status"],
    ),
    ("POST", f"{V1}/reports/{{report_id}}/merge"): Row(
        "report",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin=200w kapolsek_depok=400 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=400 kapolsek,kapolres,kapolda=403 *=404",
        },
        B["merge"],
    ),
    ("POST", f"{V1}/reports/{{report_id}}/moderate"): Row(
        "report",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
        },
        B["moderate"],
    ),
    ("POST", f"{V1}/reports/{{report_id}}/block"): Row(
        "report",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=400",
            "out": "anon=401 admin,kapolsek_depok=400 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=400 kapolsek,kapolres,kapolda=403 *=404",
        },
        B["block"],
    ),
    ("GET", f"{V1}/cases"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200 kapolsek,kapolres,kapolda=403 *=404",
        },
        listed="case_id",
        query={"limit": 500},
    ),
    ("POST", f"{V1}/cases"): Row(
        "village",
        {
            "in": "anon=401 warga,mitra,bappenas=403 fkpm,kapolsek_depok=400 *=201w",
            "out": "anon=401 warga,mitra,bappenas=403 admin,kapolsek_depok=201w *=400",
        },
        B["case"],
    ),
    ("GET", f"{V1}/cases/summary"): Row(None, {"-": "anon=401 *=200"}),
    ("GET", f"{V1}/cases/{{case_id}}"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200 kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200",
        },
    ),
    ("GET", f"{V1}/cases/{{case_id}}/agreement.pdf"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=401 kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 *=404",
        },
        url=f"{V1}/cases/{{case_id}}/agreement.pdf?mediation={{mediation_id}}",
    ),
    ("POST", f"{V1}/cases/{{case_id}}/analysis"): Row("case@scanning", CASE_WRITE, B["analysis"]),
    ("POST", f"{V1}/cases/{{case_id}}/response"): Row("case@analysis", CASE_WRITE, B["response"]),
    ("POST", f"{V1}/cases/{{case_id}}/actions"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200w",
        },
        B["action_add"],
    ),
    ("POST", f"{V1}/cases/{{case_id}}/actions/{{action_id}}"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200w",
        },
        B["action_update"],
    ),
    ("POST", f"{V1}/cases/{{case_id}}/assessment"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200w",
        },
        B["assessment"],
    ),
    ("POST", f"{V1}/cases/{{case_id}}/close"): Row("case@assessment", CASE_WRITE, B["close"]),
    ("POST", f"{V1}/cases/{{case_id}}/mediation"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=400 kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=400",
        },
        B["mediation"],
    ),
    ("POST", f"{V1}/cases/{{case_id}}/referrals"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200w",
        },
        B["referral"],
    ),
    ("POST", f"{V1}/cases/{{case_id}}/referrals/{{referral_id}}"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200w",
        },
        B["referral_answer"],
    ),
    ("POST", f"{V1}/cases/{{case_id}}/safety-plan"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=400",
            "out": "anon=401 admin,kapolsek_depok=400 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=200w kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200w",
        },
        B["safety_plan"],
    ),
    ("POST", f"{V1}/officers/{{officer_id}}/assignments"): Row(
        "officer", OFFICER_WRITE, B["officer_post"]),
    ("POST", f"{V1}/officers/{{officer_id}}/assignments/{{assignment_id}}/transfer"): Row(
        # Every village of the world's Polseks has a Bhabinkamtibmas: a transfer there is refused.
        "officer", {"in": OFFICER_WRITE["in"].replace("=200", "=400"),
                    "out": OFFICER_WRITE["out"].replace("=200", "=400")}, B["officer_transfer"]),
    ("POST", f"{V1}/officers/{{officer_id}}/assignments/{{assignment_id}}/end"): Row(
        "officer", OFFICER_WRITE, B["officer_end"]),
    ("POST", f"{V1}/officers/{{officer_id}}/training"): Row(
        "officer", OFFICER_WRITE, B["officer_training"]),
    ("POST", f"{V1}/officers/{{officer_id}}/equipment"): Row(
        "officer", OFFICER_WRITE, B["officer_equipment"]),
    ("POST", f"{V1}/cases/{{case_id}}/reassign"): Row(
        "case", SUPERVISOR_WRITE, B["reassign"]
    ),
    ("POST", f"{V1}/cases/{{case_id}}/instruction"): Row(
        "case", SUPERVISOR_WRITE, B["instruction"]
    ),
    ("POST", f"{V1}/cases/{{case_id}}/acknowledge"): Row("case", {
        # Acknowledging needs an escalated case: the world's are not, so every supervisor gets 400.
        "in": "anon=401 bhabin,fkpm,ppa=403 kapolsek,kapolres,kapolda,admin=400 *=404",
        "out": "anon=401 admin,kapolsek_depok=400 *=404",
        "sealed": "anon=401 bhabin,kapolsek,kapolres,kapolda,ppa=403 admin=400 *=404",
        "reason": "anon=401 bhabin,ppa=403 kapolsek,kapolres,kapolda,admin=400 *=404",
    }, B["acknowledge"]),
    ("POST", f"{V1}/cases/{{case_id}}/risk"): Row(
        "case",
        {
            "in": "anon=401 warga,mitra,bappenas,kapolsek_depok=404 fkpm=403 *=400",
            "out": "anon=401 admin,kapolsek_depok=400 *=404",
            "sealed": "anon=401 bhabin,ppa,admin=400 kapolsek,kapolres,kapolda=403 *=404",
            "reason": "anon=401 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=400",
        },
        B["risk"],
    ),
    ("POST", f"{V1}/activities"): Row(
        "village",
        {
            "in": "anon=401 bhabin,kapolsek,kapolres,kapolda,ppa=201w *=403",
            "out": "anon=401 bhabin,kapolsek,kapolres,kapolda,ppa=400 *=403",
        },
        B["activity"],
    ),
    # Answered 200 per batch; a record refused (outside the caller's posts, or a role that
    # records no activity) is `rejected` inside it and changes nothing.
    ("POST", f"{V1}/sync"): Row(
        "village",
        {"in": "anon=401 bhabin,kapolsek,kapolres,kapolda,ppa=200w *=200", "out": "anon=401 *=200"},
        B["sync"],
    ),
    ("POST", f"{V1}/sync/uploads"): Row(None, {"-": "anon=401 *=201"}, B["upload"]),
    ("PUT", f"{V1}/sync/uploads/{{key}}"): Row(
        None, {"-": "anon=401 *=404"}, url=f"{V1}/sync/uploads/{NO_UPLOAD}?offset=0"),
    ("GET", f"{V1}/sync/uploads/{{key}}"): Row(
        None, {"-": "anon=401 *=404"}, url=f"{V1}/sync/uploads/{NO_UPLOAD}"),
    ("GET", f"{V1}/sync/snapshot"): Row(None, {"-": "anon=401 *=200"}),
    # Partners (issue 21): lists scoped like the others; a partner's staff see their own.
    ("GET", f"{V1}/partners"): Row("partner", {
        "in": "anon=401 warga,fkpm,kapolsek_depok=404 *=200",
        "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404"},
        listed="organisation_id", query={"limit": 500}),
    ("GET", f"{V1}/agreements"): Row("agreement", {
        "in": "anon=401 warga,fkpm,mitra,kapolsek_depok=404 *=200",
        "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404"},
        listed="agreement_id", query={"limit": 500}),
    ("GET", f"{V1}/programmes"): Row("programme", {
        "in": "anon=401 warga,fkpm,kapolsek_depok=404 *=200",
        "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404"},
        listed="programme_id", query={"limit": 500}),
    ("GET", f"{V1}/services"): Row(None, {"-": "anon=401 *=200"}),
    # Counts per service in the caller's scope; an empty list for those who read no case.
    ("GET", f"{V1}/referrals/completion"): Row(None, {"-": "anon=401 *=200"}),
    ("POST", f"{V1}/partner-activities"): Row(
        None, {"-": "anon=401 mitra=201w *=403"},
        B["partner-activity"]),
    # Organisations, programmes, links and services (h25).
    ("POST", f"{V1}/partners"): Row(
        None, {"-": "anon=401 kapolsek,kapolres,kapolda,admin=201w kapolsek_depok=400 *=403"},
        B["partner-new"]),
    ("PATCH", f"{V1}/partners/{{organisation_id}}"): Row(
        "partner", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=200w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200w *=403"},
        B["partner-edit"]),
    # Contact people after creation (h32): managers with the organisation in their scope.
    ("GET", f"{V1}/partners/{{organisation_id}}/contacts"): Row("partner", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200 *=403"}),
    ("POST", f"{V1}/partners/{{organisation_id}}/contacts"): Row("partner", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=201w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=201w *=403"},
        B["contact-new"]),
    ("PATCH", f"{V1}/partners/{{organisation_id}}/contacts/{{contact_id}}"): Row("contact", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=200w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200w *=403"},
        B["contact-edit"]),
    ("DELETE", f"{V1}/partners/{{organisation_id}}/contacts/{{contact_id}}"): Row("contact", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=204w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=204w *=403"}),
    ("POST", f"{V1}/programmes"): Row(
        None, {"-": "anon=401 kapolsek,kapolres,kapolda,admin=201w kapolsek_depok=404 *=403"},
        B["programme-new"]),
    ("PATCH", f"{V1}/programmes/{{programme_id}}"): Row(
        "programme", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=200w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200w *=403"},
        B["programme-edit"]),
    ("GET", f"{V1}/programmes/{{programme_id}}/links"): Row(
        "programme", {
        "in": "anon=401 warga,fkpm,kapolsek_depok=404 *=200",
        "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404"}),
    ("POST", f"{V1}/programmes/{{programme_id}}/links"): Row(
        "programme", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=201w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=201w *=403"},
        B["link"]),
    ("DELETE", f"{V1}/programmes/{{programme_id}}/links/{{link_id}}"): Row(
        "programme-link", {
        "in": "anon=401 kapolsek,kapolres,kapolda,admin=204w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=204w *=403"}),
    ("POST", f"{V1}/services"): Row(
        None, {"-": "anon=401 kapolsek,kapolres,kapolda,ppa,admin=201w kapolsek_depok=400 *=403"},
        B["service-new"]),
    ("PATCH", f"{V1}/services/{{service_id}}"): Row(
        "service", {
        "in": "anon=401 kapolsek,kapolres,kapolda,ppa,admin=200w kapolsek_depok=404 *=403",
        "out": "anon=401 kapolsek,kapolres,kapolda,ppa=404 admin,kapolsek_depok=200w *=403"},
        B["service-edit"]),
    ("GET", f"{V1}/activities"): Row(
        "activity",
        {
            "in": "anon=401 warga,kapolsek_depok=404 *=200",
            "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404",
        },
        listed="activity_id",
        query={"limit": 500},
    ),
    ("GET", f"{V1}/activities/{{activity_id}}"): Row(
        "activity",
        {
            "in": "anon=401 warga,kapolsek_depok=404 *=200",
            "out": "anon=401 bappenas,admin,kapolsek_depok=200 *=404",
        },
    ),
    ("GET", f"{V1}/rosters"): Row(
        "roster",
        {
            "in": "anon=401 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
        },
        listed="roster_id",
        query={"limit": 500},
    ),
    ("POST", f"{V1}/rosters"): Row(
        "village",
        {
            "in": "anon=401 warga,ppa,mitra,bappenas,kapolsek_depok=400 *=201w",
            "out": "anon=401 admin,kapolsek_depok=201w *=400",
        },
        B["roster"],
    ),
    ("GET", f"{V1}/rosters/{{roster_id}}"): Row(
        "roster",
        {
            "in": "anon=401 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=401 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("POST", f"{V1}/rosters/{{roster_id}}/generate"): Row(
        "roster",
        {
            "in": "anon=401 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["generate"],
    ),
    ("POST", f"{V1}/rosters/{{roster_id}}/swap"): Row(
        "roster",
        {
            "in": "anon=401 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["swap"],
    ),
    ("POST", f"{V1}/rosters/{{roster_id}}/check-in"): Row(
        "roster",
        {
            "in": "anon=401 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200w",
            "out": "anon=401 admin,kapolsek_depok=200w *=404",
        },
        B["check_in"],
    ),
    ("GET", f"{V1}/disaster-modes"): Row(None, {"-": "anon=401 *=200"}),
    ("POST", f"{V1}/disaster-modes"): Row(
        "village",
        {
            "in": "anon=401 kapolsek,kapolres,kapolda,admin=201w kapolsek_depok=400 *=403",
            "out": "anon=401 kapolsek,kapolres,kapolda=400 admin,kapolsek_depok=201w *=403",
        },
        B["disaster_on"],
    ),
    ("POST", f"{V1}/disaster-modes/end"): Row(
        "district",
        {
            "in": "anon=401 kapolsek,kapolres,kapolda,admin=200w kapolsek_depok=400 *=403",
            "out": "anon=401 kapolsek,kapolres,kapolda=400 admin,kapolsek_depok=200w *=403",
        },
        B["disaster_off"],
    ),
}


def test_every_api_operation_is_in_the_matrix():
    missing = sorted(api_operations() - set(TABLE))
    assert not missing, (
        "API operations not placed in the authorisation matrix "
        f"(add a line to TABLE in {__file__}): {missing}"
    )
    stale = sorted(set(TABLE) - api_operations())
    assert not stale, f"matrix lines for operations that no longer exist: {stale}"


@pytest.mark.parametrize("method,path", sorted(TABLE), ids=[f"{m} {p}" for m, p in sorted(TABLE)])
def test_api_answers_each_role_as_the_matrix_says(matrix, method, path):
    world, callers = matrix
    problems = run(world, callers, method, path, TABLE[(method, path)], api=True)
    assert not problems, f"{method} {path}:\n  " + "\n  ".join(problems)


def test_the_victim_check_can_fail(matrix):
    """The matrix looks for the sealed case's victim in every answer; the assigned officer's
    detail carries it, so that search finds it where it is."""
    from matrix.harness import SECRETS, ask

    world, callers = matrix
    sealed = world.targets["case"]["sealed"]["case_id"]
    response = ask(callers, True, "GET", f"{V1}/cases/{sealed}", "bhabin", {}, None)
    assert response.status_code == 200 and all(s in response.content for s in SECRETS)


def test_the_matrix_notices_a_read_or_a_write_it_does_not_expect(matrix):
    """A line claiming nobody may read the Depok case, or write to the Les case, fails, and
    names the roles that can."""
    from matrix.harness import Row

    world, callers = matrix
    read = run(world, callers, "GET", f"{V1}/cases/{{case_id}}", Row("case", {"out": "*=404"}), api=True)
    assert len(read) == 1 and "admin 404->200" in read[0] and "kapolsek_depok 404->200" in read[0]
    write = run(
        world,
        callers,
        "POST",
        f"{V1}/cases/{{case_id}}/actions",
        Row("case", {"in": "*=404"}, B["action_add"]),
        api=True,
    )
    assert len(write) == 1 and "bhabin 404->200w" in write[0] and "anon 404->401" in write[0]
