"""The OpenAPI document, the docs page, and the rules every path shares."""

import shutil

import pytest
from django.test import Client

from api.conftest import API, LES, assert_error

pytestmark = pytest.mark.django_db

# Every operation of the API, as (path, method). A new endpoint must be added here, so that
# the rules below (token, error shape, 401 for anonymous callers) are checked for it too.
_OPS = """
auth/token post; auth/refresh post; auth/revoke post;
me get; audit get; regions get; regions/nearest get; regions/{code} get;
units get; units/{unit_id} get; officers get; officers/{officer_id} get;
forums get; forums/{forum_id} get; forums/meetings get; forums/meetings/{meeting_id} get post;
forums/{forum_id}/meetings get post; forums/meetings/{meeting_id}/held post;
forums/meetings/{meeting_id}/attendance post; forums/meetings/{meeting_id}/decisions post;
forums/meetings/{meeting_id}/actions post; forums/meetings/{meeting_id}/actions/{action_id} post;
forums/meetings/{meeting_id}/issues post;
reports post get; reports/status post; reports/inbox get; reports/inbox/seen post;
reports/{report_id} get;
reports/{report_id}/status post; reports/{report_id}/merge post; reports/{report_id}/moderate post;
reports/{report_id}/block post;
cases get post; cases/summary get; cases/{case_id} get; cases/{case_id}/agreement.pdf get;
cases/{case_id}/analysis post; cases/{case_id}/response post; cases/{case_id}/actions post;
cases/{case_id}/actions/{action_id} post; cases/{case_id}/assessment post; cases/{case_id}/close post;
cases/{case_id}/mediation post; cases/{case_id}/referrals post;
cases/{case_id}/referrals/{referral_id} post; cases/{case_id}/safety-plan post; cases/{case_id}/risk post;
activities post get; activities/{activity_id} get; rosters get post; rosters/{roster_id} get;
rosters/{roster_id}/generate post; rosters/{roster_id}/swap post; rosters/{roster_id}/check-in post;
disaster-modes get post; disaster-modes/end post;
officers/{officer_id}/assignments post; officers/{officer_id}/assignments/{assignment_id}/transfer post;
officers/{officer_id}/assignments/{assignment_id}/end post; officers/{officer_id}/training post;
officers/{officer_id}/equipment post; cases/{case_id}/reassign post; cases/{case_id}/instruction post;
cases/{case_id}/acknowledge post; sync post; sync/uploads post; sync/uploads/{key} put get;
sync/snapshot get; surveys/assignments get; surveys/interviews post; surveys/estimates get;
alarms get; alarms/{alarm_id} get; alarms/{alarm_id}/acknowledge post; alarms/{alarm_id}/dismiss post;
alarms/{alarm_id}/case post;
partners get post; agreements get; programmes get post; services get post; partner-activities post;
partners/{organisation_id} patch; programmes/{programme_id} patch; programmes/{programme_id}/links get post;
programmes/{programme_id}/links/{link_id} delete; services/{service_id} patch;
partners/{organisation_id}/contacts get post; partners/{organisation_id}/contacts/{contact_id} patch delete;
referrals/completion get;
evaluation/interventions get; evaluation/runs post; evaluation/runs/{run_id} get;
planning/proposals post get; planning/proposals/{proposal_id} get;
planning/proposals/{proposal_id}/apply post; planning/targets post; planning/milestones post;
planning/milestones/{milestone_id} patch;
planning/progress get
"""
OPS = [(f"{API}/{path}", method) for entry in _OPS.split(";")
       for path, *methods in [entry.split()] for method in methods]
PATHS = {path for path, _ in OPS}
# Answer without a token: the token exchange, and a report's status by its tracking code.
PUBLIC = {(f"{API}/auth/token", "post"), (f"{API}/auth/refresh", "post"),
          (f"{API}/reports/status", "post")}
# A token is optional: residents report anonymously.
OPTIONAL_TOKEN = {(f"{API}/reports", "post")}
SAMPLE = {"{code}": LES, "{unit_id}": "1", "{officer_id}": "1", "{forum_id}": "1", "{report_id}": "1",
          "{tracking_code}": "ABCD-EFGH-JKMN", "{meeting_id}": "1", "{action_id}": "1", "{case_id}": "1",
          "{referral_id}": "1", "{activity_id}": "1", "{roster_id}": "1", "{alarm_id}": "1",
          "{organisation_id}": "1", "{programme_id}": "1", "{link_id}": "1", "{service_id}": "1"}


def concrete(path: str) -> str:
    for placeholder, value in SAMPLE.items():
        path = path.replace(placeholder, value)
    return path


def schema(client: Client) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_it_lists_every_path_to_anyone(client):
    doc = schema(client)
    assert sorted((p, m) for p, ops in doc["paths"].items() for m in ops) == sorted(OPS)
    assert doc["info"]["title"] == "Polmas API"


def test_every_path_but_the_token_exchange_requires_a_bearer_token(client):
    doc = schema(client)
    assert doc["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    for path, method in OPS:
        operation = doc["paths"][path][method]
        op = (path, method)
        expected = ([] if op in PUBLIC else [{"BearerAuth": []}, {}] if op in OPTIONAL_TOKEN
                    else [{"BearerAuth": []}])
        assert operation.get("security", []) == expected, path


def test_every_path_documents_its_errors_in_the_one_error_shape(client):
    doc = schema(client)
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, method in OPS:
        responses = doc["paths"][path][method]["responses"]
        assert responses["422"]["content"]["application/json"]["schema"] == error, path
        if "{" in path:
            assert responses["404"]["content"]["application/json"]["schema"] == error, path
    assert set(doc["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "errors"}


def test_lists_document_their_bounds(client):
    params = {p["name"]: p["schema"] for p in schema(client)["paths"][f"{API}/units"]["get"]["parameters"]}
    assert params["limit"]["maximum"] == 500 and params["limit"]["minimum"] == 1
    assert params["offset"]["minimum"] == 0


@pytest.mark.parametrize("path,method", [op for op in OPS if op not in PUBLIC | OPTIONAL_TOKEN])
def test_it_refuses_anonymous_callers_everywhere(client, path, method):
    if method == "get":
        response = client.get(concrete(path), {"lat": -8.1, "lon": 115.1})
    else:
        response = client.generic(method.upper(), concrete(path), "{}", content_type="application/json")
    assert_error(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("path", [f"{API}/nothing", f"{API}/regions/51/08", f"{API}/units/1/officers",
                                  f"{API}/forums/"])
def test_an_unknown_path_answers_json_404(client, path):
    assert_error(client.get(path), 404)


def test_the_docs_page_is_served_with_local_assets(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html and f"{API}/openapi.json" in html
    assert "cdn." not in html and "https://" not in html
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert f"/static/{asset}" in html
        assert client.get(f"/static/{asset}").status_code == 200, asset


@pytest.mark.browser
def test_the_docs_page_renders_every_operation_in_a_browser(client):
    """Swagger UI in Chromium, every request answered by the Django test client."""
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("chromium is not installed (apt-get install chromium): browser tests need it")
    from playwright.sync_api import sync_playwright

    def serve(route):
        path = route.request.url.removeprefix("http://testserver")
        answer = client.get(path)
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        route.fulfill(status=answer.status_code, body=body,
                      headers={"Content-Type": answer["Content-Type"]})

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.route("http://testserver/**", serve)
            page.goto(f"http://testserver{API}/docs")
            page.wait_for_selector(".opblock", timeout=20_000)
            shown = {el.get_attribute("data-path") for el in page.query_selector_all(".opblock-summary-path")}
            assert shown == PATHS
            assert page.locator(".info .title").inner_text().startswith("Polmas API")
        finally:
            browser.close()


def test_the_api_root_answers_json_404(client):
    assert_error(client.get(f"{API}/"), 404)
