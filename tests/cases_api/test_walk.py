"""The SARA walk over the API, as the officer and the supervisor; every bad input is refused
with the field named, and nothing changes."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from cases.helpers import LES, TRIANGLE, open_case, report, walk
from cases_api.conftest import CASES, error_fields
from polmas.cases.models import Case, Mediation
from polmas.reports.models import Report

pytestmark = pytest.mark.django_db
DUE = (dt.date.today() + dt.timedelta(days=5)).isoformat()
ACTION = {"description": "Patroli malam di pantai", "owner_kind": "officer", "owner_name": "Bhabin Les",
          "due": DUE}


def state(case_id: int) -> tuple:
    c = Case.objects.get(pk=case_id)
    return (c.stage, c.version, c.triangle, c.plan, c.outcome, c.actions.count(), c.timeline.count(),
            c.mediations.count())


@pytest.mark.parametrize("username", ["bhabin", "kapolsek"])
def test_a_report_walks_to_a_closed_case(as_user, username):
    me = as_user(username)
    r = report()
    response = me.post(CASES, {"source": "report", "report_ids": [r.pk], "statement": "Cekcok air",
                               "recurring": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["region_code"], body["category"], body["stage"], body["report_ids"]) == (
        LES, "neighbour_dispute", "scanning", [r.pk])
    cid, version = body["id"], body["version"]
    steps = [
        ("analysis", {"triangle": TRIANGLE, "causes": "Air kurang", "community_input": "Jadwal giliran"}),
        ("response", {"plan": "Jadwal giliran air", "actions": [ACTION]}),
        ("assessment", {"outcome": "resolved_action", "evidence": "Tenang sebulan",
                        "community_satisfied": True}),
        ("close", {"public_summary": "Jadwal giliran air disepakati dan berjalan."}),
    ]
    for step, data in steps:
        response = me.post(f"{CASES}/{cid}/{step}", {**data, "version": version})
        assert response.status_code == 200, (step, response.content)
        body = response.json()
        assert body["version"] == version + 1
        version = body["version"]
    assert body["stage"] == "closed" and body["outcome"] == "resolved_action"
    assert [t["kind"] for t in body["timeline"]] == ["opened", "analysis", "response", "assessment", "closed"]
    assert body["actions"][0]["owner_name"] == "Bhabin Les"
    r.refresh_from_db()
    assert r.status == Report.Status.RESOLVED
    assert r.public_summary == "Jadwal giliran air disepakati dan berjalan."


def test_a_stage_skipping_its_content_is_refused_and_nothing_changes(as_user):
    case = open_case()
    before = state(case.pk)
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/response",
                                      {"plan": "Tindak", "actions": [ACTION], "version": case.version})
    assert response.status_code == 400 and "stage" in error_fields(response)
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/analysis", {
        "triangle": {"victim": "x"}, "causes": "", "community_input": "", "version": case.version})
    assert response.status_code == 400
    assert {"triangle.offender", "causes", "community_input"} <= set(error_fields(response))
    closing = as_user("bhabin").post(f"{CASES}/{case.pk}/close", {"version": case.version})
    assert closing.status_code == 400 and "assessment" in closing.json()["detail"]
    assert state(case.pk) == before


def test_an_action_without_owner_is_refused(as_user):
    case = walk(open_case(), "analysis")
    before = state(case.pk)
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/actions", {
        "description": "Patroli", "owner_kind": "officer", "owner_name": "", "due": DUE,
        "version": case.version})
    assert response.status_code == 400 and error_fields(response) == ["owner_name"]
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/response", {
        "plan": "Rencana", "actions": [{"description": "Patroli", "owner_name": "Bhabin"}],
        "version": case.version})
    assert response.status_code == 400
    assert {"actions.0.owner_kind", "actions.0.due"} <= set(error_fields(response))
    assert state(case.pk) == before


def test_a_stale_version_answers_409_and_changes_nothing(as_user):
    case = walk(open_case(), "analysis")
    before = state(case.pk)
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/actions", {**ACTION, "version": case.version - 1})
    assert response.status_code == 409 and error_fields(response) == ["version"]
    assert state(case.pk) == before


def test_mediation_of_a_category_that_may_not_be_mediated_is_refused(as_user):
    case = open_case(category="drugs")
    before = state(case.pk)
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/mediation", {
        "held_on": dt.date.today().isoformat(), "place": "Balai", "terms": "Damai",
        "first_parties": ["A"], "second_parties": ["B"], "version": case.version})
    assert response.status_code == 400 and error_fields(response) == ["category"]
    assert "refer" in response.json()["errors"][0]["reason"]
    assert state(case.pk) == before and not Mediation.objects.exists()


def test_a_mediation_gives_a_pdf_agreement(as_user):
    case = walk(open_case(), "analysis")
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/mediation", {
        "held_on": dt.date.today().isoformat(), "place": "Balai Banjar Les",
        "terms": "Pihak kedua membayar ganti rugi Rp500.000.", "first_parties": ["I Wayan Sudarma"],
        "second_parties": ["Ketut Rai", "Made Rai"], "fkpm_mediators": ["Ni Ketut Sariasih"],
        "version": case.version})
    assert response.status_code == 200, response.content
    assert response.json()["mediations"][0]["parties"][0]["name"] == "I Wayan Sudarma"
    pdf = as_user("bhabin").get(f"{CASES}/{case.pk}/agreement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ["SURAT KESEPAKATAN", Case.objects.get(pk=case.pk).number, "Made Rai",
                     "Rp500.000", "Ni Ketut Sariasih"]:
        assert expected in text
    # The forum member reads the case but not the parties; outsiders get nothing.
    assert as_user("fkpm").get(f"{CASES}/{case.pk}").json()["mediations"][0]["parties"] == []
    assert as_user("kapolsek_depok").get(f"{CASES}/{case.pk}/agreement.pdf").status_code == 404
    assert as_user("bhabin").get(f"{CASES}/{open_case().pk}/agreement.pdf").status_code == 404


def test_referrals_are_sent_and_answered(as_user):
    case = open_case()
    body = as_user("bhabin").post(f"{CASES}/{case.pk}/referrals",
                                  {"to": "village_government", "version": case.version}).json()
    ref = body["referrals"][0]
    assert ref["status"] == "sent"
    body = as_user("kapolsek").post(f"{CASES}/{case.pk}/referrals/{ref['id']}",
                                    {"accepted": True, "version": body["version"]}).json()
    assert body["referrals"][0]["status"] == "accepted"
    bad = as_user("bhabin").post(f"{CASES}/{case.pk}/referrals", {"to": "dukun", "version": body["version"]})
    assert bad.status_code == 422 and error_fields(bad) == ["to"]


@pytest.mark.parametrize(("username", "status"), [("fkpm", 403), ("warga", 404), ("kapolsek_depok", 404)])
def test_others_cannot_change_a_case(as_user, username, status):
    case = open_case()
    before = state(case.pk)
    response = as_user(username).post(f"{CASES}/{case.pk}/analysis", {
        "triangle": TRIANGLE, "causes": "x", "community_input": "y", "version": case.version})
    assert response.status_code == status
    assert state(case.pk) == before


def test_a_resent_client_uuid_opens_one_case(as_user):
    data = {"source": "detection", "statement": "Balap liar", "village": LES, "category": "traffic",
            "incidents_note": "Tiap malam minggu", "client_uuid": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}
    first = as_user("bhabin").post(CASES, data)
    again = as_user("bhabin").post(CASES, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Case.objects.count() == 1


def test_opening_needs_a_village_in_scope_and_real_category(as_user):
    response = as_user("bhabin").post(CASES, {"source": "detection", "statement": "x", "category": "nope",
                                              "village": "51.08.08.2001", "incidents_note": "y"})
    assert response.status_code == 400 and set(error_fields(response)) == {"village", "category"}
    assert not Case.objects.exists()


def test_nul_characters_and_huge_ids_are_refused_not_crashed(as_user):
    case = open_case()
    response = as_user("bhabin").post(f"{CASES}/{case.pk}/analysis", {
        "triangle": {**TRIANGLE, "victim": "Warga\x00"}, "causes": "x", "community_input": "y",
        "version": case.version})
    assert response.status_code == 400 and error_fields(response) == ["triangle.victim"]
    response = as_user("bhabin").post(CASES, {"source": "report", "statement": "x", "report_ids": [2**70]})
    assert response.status_code == 422 and error_fields(response) == ["report_ids.0"]
    response = as_user("bhabin").post(CASES, {"source": "detection", "statement": "Balap\x00", "village": LES,
                                              "category": "traffic", "incidents_note": "y"})
    assert response.status_code == 400 and error_fields(response) == ["statement"]
    assert as_user("bhabin").get(f"{CASES}/{case.pk}/agreement.pdf", mediation=2**70).status_code == 422
    assert as_user("bhabin").get(f"{CASES}/{2**70}").status_code == 422
    assert Case.objects.get(pk=case.pk).stage == "scanning" and Case.objects.count() == 1
