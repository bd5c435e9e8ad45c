"""The authorisation matrix of the API: every OpenAPI operation x every role x a record in
scope, out of scope and sealed. See tests/matrix/test_page_matrix.py for the pages and the
module docstring there for how to place a new endpoint."""

import pytest

from matrix.bodies import API as B
from matrix.harness import Row, api_operations, run

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

TABLE: dict[tuple[str, str], Row] = {
    ("POST", f"{V1}/auth/token"): Row(None, {"-": ""}, B["token"]),
    ("GET", f"{V1}/me"): Row(None, {"-": ""}),
    ("GET", f"{V1}/audit"): Row("case", {"in": "", "out": "", "sealed": ""},
                                      url=f"{V1}/audit?object=case:{{case_id}}"),
    ("GET", f"{V1}/regions"): Row(None, {"-": ""}),
    ("GET", f"{V1}/regions/nearest"): Row(None, {"-": ""}, query={"lat": -8.06, "lon": 115.2}),
    ("GET", f"{V1}/regions/{{code}}"): Row("village", {"in": "", "out": ""}),
    ("GET", f"{V1}/units"): Row(None, {"-": ""}),
    ("GET", f"{V1}/units/{{unit_id}}"): Row("unit", {"in": "", "out": ""}),
    ("GET", f"{V1}/officers"): Row(None, {"-": ""}),
    ("GET", f"{V1}/officers/{{officer_id}}"): Row("officer", {"in": "", "out": ""}),
    ("GET", f"{V1}/forums"): Row(None, {"-": ""}),
    ("GET", f"{V1}/forums/{{forum_id}}"): Row("forum", {"in": "", "out": ""}),
    ("GET", f"{V1}/forums/meetings"): Row(None, {"-": ""}),
    ("GET", f"{V1}/forums/meetings/{{meeting_id}}"): Row("meeting", {"in": "", "out": ""}),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}"): Row("meeting", {"in": "", "out": ""}, B["meeting_edit"]),
    ("GET", f"{V1}/forums/{{forum_id}}/meetings"): Row("forum", {"in": "", "out": ""}),
    ("POST", f"{V1}/forums/{{forum_id}}/meetings"): Row("forum", {"in": "", "out": ""}, B["meeting_new"]),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/held"): Row("meeting", {"in": "", "out": ""},
                                                             B["meeting_held"]),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/attendance"): Row("meeting", {"in": "", "out": ""},
                                                                   B["attendance"]),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/decisions"): Row("meeting", {"in": "", "out": ""},
                                                                  B["decision"]),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/actions"): Row("meeting", {"in": "", "out": ""},
                                                                B["meeting_action"]),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/actions/{{action_id}}"): Row(
        "meeting", {"in": "", "out": ""}, B["meeting_action_status"]),
    ("POST", f"{V1}/forums/meetings/{{meeting_id}}/issues"): Row("meeting", {"in": "", "out": ""}, B["issue"]),
    ("POST", f"{V1}/reports"): Row("village", {"in": "", "out": ""}, B["report"]),
    ("GET", f"{V1}/reports"): Row(None, {"-": ""}),
    ("GET", f"{V1}/reports/inbox"): Row(None, {"-": ""}),
    ("GET", f"{V1}/reports/status/{{tracking_code}}"): Row("report", {"in": "", "out": "", "sealed": ""}),
    ("GET", f"{V1}/reports/{{report_id}}"): Row("report", {"in": "", "out": "", "sealed": "", "reason": ""}),
    ("POST", f"{V1}/reports/{{report_id}}/status"): Row("report", {"in": "", "out": "", "sealed": ""},
                                                      B["report_status"]),
    ("POST", f"{V1}/reports/{{report_id}}/merge"): Row("report", {"in": "", "out": "", "sealed": ""}, B["merge"]),
    ("POST", f"{V1}/reports/{{report_id}}/moderate"): Row("report", {"in": "", "out": "", "sealed": ""},
                                                        B["moderate"]),
    ("POST", f"{V1}/reports/{{report_id}}/block"): Row("report", {"in": "", "out": "", "sealed": ""}, B["block"]),
    ("GET", f"{V1}/cases"): Row(None, {"-": ""}),
    ("POST", f"{V1}/cases"): Row("village", {"in": "", "out": ""}, B["case"]),
    ("GET", f"{V1}/cases/summary"): Row(None, {"-": ""}),
    ("GET", f"{V1}/cases/{{case_id}}"): Row("case", {"in": "", "out": "", "sealed": "", "reason": ""}),
    ("GET", f"{V1}/cases/{{case_id}}/agreement.pdf"): Row(
        "case", {"in": "", "out": "", "sealed": "", "reason": ""},
        url=f"{V1}/cases/{{case_id}}/agreement.pdf?mediation={{mediation_id}}"),
    ("POST", f"{V1}/cases/{{case_id}}/analysis"): Row("case@scanning", {"in": "", "out": "", "sealed": "",
                                                                     "reason": ""}, B["analysis"]),
    ("POST", f"{V1}/cases/{{case_id}}/response"): Row("case@analysis", {"in": "", "out": "", "sealed": "",
                                                                     "reason": ""}, B["response"]),
    ("POST", f"{V1}/cases/{{case_id}}/actions"): Row("case", {"in": "", "out": "", "sealed": "", "reason": ""},
                                                   B["action_add"]),
    ("POST", f"{V1}/cases/{{case_id}}/actions/{{action_id}}"): Row(
        "case", {"in": "", "out": "", "sealed": "", "reason": ""}, B["action_update"]),
    ("POST", f"{V1}/cases/{{case_id}}/assessment"): Row("case", {"in": "", "out": "", "sealed": "", "reason": ""},
                                                      B["assessment"]),
    ("POST", f"{V1}/cases/{{case_id}}/close"): Row("case@assessment", {"in": "", "out": "", "sealed": "",
                                                                     "reason": ""}, B["close"]),
    ("POST", f"{V1}/cases/{{case_id}}/mediation"): Row("case", {"in": "", "out": "", "sealed": "", "reason": ""},
                                                     B["mediation"]),
    ("POST", f"{V1}/cases/{{case_id}}/referrals"): Row("case", {"in": "", "out": "", "sealed": "", "reason": ""},
                                                     B["referral"]),
    ("POST", f"{V1}/cases/{{case_id}}/referrals/{{referral_id}}"): Row(
        "case", {"in": "", "out": "", "sealed": "", "reason": ""}, B["referral_answer"]),
    ("POST", f"{V1}/cases/{{case_id}}/safety-plan"): Row("case", {"in": "", "out": "", "sealed": "", "reason": ""},
                                                       B["safety_plan"]),
    ("POST", f"{V1}/cases/{{case_id}}/risk"): Row("case", {"in": "", "out": "", "sealed": "", "reason": ""},
                                                B["risk"]),
    ("POST", f"{V1}/activities"): Row("village", {"in": "", "out": ""}, B["activity"]),
    ("GET", f"{V1}/activities"): Row(None, {"-": ""}),
    ("GET", f"{V1}/activities/{{activity_id}}"): Row("activity", {"in": "", "out": ""}),
    ("GET", f"{V1}/rosters"): Row(None, {"-": ""}),
    ("POST", f"{V1}/rosters"): Row("village", {"in": "", "out": ""}, B["roster"]),
    ("GET", f"{V1}/rosters/{{roster_id}}"): Row("roster", {"in": "", "out": ""}),
    ("POST", f"{V1}/rosters/{{roster_id}}/generate"): Row("roster", {"in": "", "out": ""}, B["generate"]),
    ("POST", f"{V1}/rosters/{{roster_id}}/swap"): Row("roster", {"in": "", "out": ""}, B["swap"]),
    ("POST", f"{V1}/rosters/{{roster_id}}/check-in"): Row("roster", {"in": "", "out": ""}, B["check_in"]),
    ("GET", f"{V1}/disaster-modes"): Row(None, {"-": ""}),
    ("POST", f"{V1}/disaster-modes"): Row("village", {"in": "", "out": ""}, B["disaster_on"]),
    ("POST", f"{V1}/disaster-modes/end"): Row("district", {"in": "", "out": ""}, B["disaster_off"]),
}


def test_every_api_operation_is_in_the_matrix():
    missing = sorted(api_operations() - set(TABLE))
    assert not missing, ("API operations not placed in the authorisation matrix "
                         f"(add a line to TABLE in {__file__}): {missing}")
    stale = sorted(set(TABLE) - api_operations())
    assert not stale, f"matrix lines for operations that no longer exist: {stale}"


@pytest.mark.parametrize("method,path", sorted(TABLE), ids=[f"{m} {p}" for m, p in sorted(TABLE)])
def test_api_answers_each_role_as_the_matrix_says(matrix, method, path):
    world, callers = matrix
    problems = run(world, callers, method, path, TABLE[(method, path)], api=True)
    assert not problems, f"{method} {path}:\n  " + "\n  ".join(problems)
