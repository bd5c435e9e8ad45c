"""Each SARA step through its form: what it stores, the errors it names, and a stale edit."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases.helpers import TRIANGLE, mediate, open_case, walk
from cases_pages.conftest import body
from polmas.cases.models import Action, Case, Referral, RiskAssessment
from polmas.cases.risk import QUESTIONS

pytestmark = pytest.mark.django_db

ANALYSIS = {**TRIANGLE, "causes": "Air kurang di musim kemarau.", "community_input": "Warga minta giliran."}


def due(days: int = 7) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_the_officer_walks_a_case_from_scanning_to_closed(login):
    client = login("bhabin")
    case = open_case()

    r = client.post(f"/kasus/{case.pk}/analisis/", {**ANALYSIS, "version": case.version})
    assert r.status_code == 302 and r["Location"] == f"/kasus/{case.pk}/#analisis"
    case.refresh_from_db()
    assert case.stage == "analysis" and case.triangle["offender"] == "Tetangga"

    r = client.post(f"/kasus/{case.pk}/respons/", {
        "version": case.version, "plan": "Musyawarah di balai banjar.",
        "a0_description": "Jadwal giliran air", "a0_owner_kind": "village_government",
        "a0_owner_name": "Perbekel Les", "a0_due": due(),
        "a1_description": "Patroli sore", "a1_owner_kind": "officer", "a1_owner_name": "Bhabin",
        "a1_due": due(3)})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.stage == "response"
    assert list(case.actions.values_list("description", "owner_name")) == [
        ("Patroli sore", "Bhabin"), ("Jadwal giliran air", "Perbekel Les")]

    r = client.post(f"/kasus/{case.pk}/asesmen/", {
        "version": case.version, "outcome": "resolved_action", "evidence": "Tidak ada cekcok lagi.",
        "community_satisfied": "yes"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.community_satisfied) == ("assessment", "resolved_action", True)

    r = client.post(f"/kasus/{case.pk}/tutup/", {"version": case.version, "public_summary": "Sudah damai."})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.stage == "closed" and case.public_summary == "Sudah damai."
    page = body(client.get(f"/kasus/{case.pk}/"))
    assert "The case is closed." in page and "<form method=\"post\" action=\"/kasus/" not in page


def test_an_incomplete_analysis_names_the_missing_fields_and_changes_nothing(login):
    case = open_case()

    r = login("bhabin").post(f"/kasus/{case.pk}/analisis/", {"version": case.version, "victim": "Warga",
                                                             "causes": "x", "community_input": "y"})

    assert r.status_code == 400
    page = body(r)
    assert 'id="field-id_analisis_offender"' in page and "This field is required." in page
    assert 'value="Warga"' in page  # what was typed stays
    assert Case.objects.get(pk=case.pk).stage == "scanning"


def test_a_plan_without_an_owner_is_refused_with_the_field_named(login):
    case = walk(open_case(), "analysis")

    r = login("bhabin").post(f"/kasus/{case.pk}/respons/", {
        "version": case.version, "plan": "Rencana", "a0_description": "Patroli", "a0_owner_kind": "officer",
        "a0_due": due()})

    assert r.status_code == 400
    assert 'id="field-id_respons_a0_owner_name"' in body(r) and "This is required." in body(r)
    assert not Action.objects.filter(case=case).exists()


def test_a_plan_without_any_action_is_refused(login):
    case = walk(open_case(), "analysis")

    r = login("bhabin").post(f"/kasus/{case.pk}/respons/", {"version": case.version, "plan": "Rencana"})

    assert r.status_code == 400
    assert "The plan needs at least one action with an owner and a due date." in body(r)


def test_a_stale_edit_says_someone_changed_the_case_and_overwrites_nothing(login):
    case = open_case()
    seen = case.version
    walk(case, "analysis")  # someone else saves the analysis meanwhile
    changed = Case.objects.get(pk=case.pk)

    r = login("bhabin").post(f"/kasus/{case.pk}/analisis/",
                             {**ANALYSIS, "causes": "Versi saya", "version": seen})

    assert r.status_code == 409
    page = body(r)
    assert "Someone changed this case while you were working on it." in page
    assert "Reload the case" in page and "Versi saya" in page  # their text is kept to copy
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.causes) == (changed.version, "Air kurang.")


def test_a_step_the_stage_does_not_allow_says_why(login):
    case = walk(open_case(), "response")

    r = login("bhabin").post(f"/kasus/{case.pk}/analisis/", {**ANALYSIS, "version": case.version})

    assert r.status_code == 400
    errors = body(r).split('id="step-errors"')[1].split("</ul>")[0]
    assert "this step needs it in: scanning, analysis" in errors
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_closed_case_refuses_every_step(login):
    case = walk(open_case(), "closed")

    r = login("bhabin").post(f"/kasus/{case.pk}/rujukan/", {"version": case.version, "to": "reskrim"})

    assert r.status_code == 400 and "This case is closed." in body(r)
    assert not case.referrals.exists()


def test_an_action_is_added_and_marked_done(login):
    client = login("bhabin")
    case = walk(open_case(), "response")

    r = client.post(f"/kasus/{case.pk}/tindakan/", {
        "version": case.version, "description": "Pasang lampu", "owner_kind": "partner", "owner_name": "PLN",
        "due": due(2)})
    assert r.status_code == 302
    # Encrypted at rest: found by reading, not by a query on the text.
    [action] = [a for a in Action.objects.filter(case=case) if a.description == "Pasang lampu"]
    case.refresh_from_db()
    r = client.post(f"/kasus/{case.pk}/tindakan-ubah/", {"version": case.version, "action": action.pk,
                                                         "status": "done"})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.done_at is not None


def test_an_overdue_action_is_flagged(login):
    case = walk(open_case(), "response")
    Action.objects.filter(case=case).update(due=timezone.localdate() - dt.timedelta(days=1))

    page = body(login("bhabin").get(f"/kasus/{case.pk}/"))

    assert '<span class="tag late">overdue</span>' in page


def test_a_forum_member_cannot_post_a_step(login):
    case = open_case()

    r = login("fkpm").post(f"/kasus/{case.pk}/analisis/", {**ANALYSIS, "version": case.version})

    assert r.status_code in (403, 404)
    assert Case.objects.get(pk=case.pk).stage == "scanning"


def test_an_outsider_posting_a_step_gets_404(login):
    case = open_case()

    r = login("kapolsek_depok").post(f"/kasus/{case.pk}/analisis/", {**ANALYSIS, "version": case.version})

    assert r.status_code == 404
    assert Case.objects.get(pk=case.pk).stage == "scanning"


# --- mediation and referrals ----------------------------------------------------------------

def test_a_mediation_is_recorded_and_its_agreement_downloads_as_pdf(login):
    client = login("bhabin")
    case = walk(open_case(), "analysis")

    r = client.post(f"/kasus/{case.pk}/mediasi/", {
        "version": case.version, "held_on": timezone.localdate().isoformat(), "place": "Balai Banjar Les",
        "first_parties": "I Wayan Sudarma", "second_parties": "Ketut Rai\nMade Rai",
        "fkpm_mediators": "Ni Ketut Sariasih", "terms": "Saluran diperbaiki bersama."})
    assert r.status_code == 302
    mediation = case.mediations.get()
    page = body(client.get(f"/kasus/{case.pk}/"))
    pdf_url = f"/kasus/{case.pk}/kesepakatan/{mediation.pk}.pdf"
    assert pdf_url in page and "Ketut Rai, Made Rai" in page

    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "SURAT KESEPAKATAN PERDAMAIAN" in text and "Made Rai" in text and "Saluran diperbaiki" in text


def test_the_agreement_of_another_case_is_404(login):
    mine = walk(open_case(), "analysis")
    mediation = mediate(mine)
    other = open_case()

    assert login("bhabin").get(f"/kasus/{other.pk}/kesepakatan/{mediation.pk}.pdf").status_code == 404
    assert login("kapolsek_depok").get(f"/kasus/{mine.pk}/kesepakatan/{mediation.pk}.pdf").status_code == 404


def test_a_category_that_may_not_be_mediated_shows_the_reason_and_offers_a_referral(login, dv_case):
    client = login("bhabin")

    page = body(client.get(f"/kasus/{dv_case.pk}/"))
    assert 'id="refusal"' in page and "may not be mediated" in page
    assert f'action="/kasus/{dv_case.pk}/mediasi/"' not in page
    assert f'action="/kasus/{dv_case.pk}/rujukan/"' in page

    r = client.post(f"/kasus/{dv_case.pk}/mediasi/", {
        "version": dv_case.version, "held_on": timezone.localdate().isoformat(), "place": "Rumah",
        "first_parties": "A", "second_parties": "B", "terms": "Damai"})
    assert r.status_code == 400 and "may not be mediated" in body(r)
    assert not dv_case.mediations.exists()

    r = client.post(f"/kasus/{dv_case.pk}/rujukan/", {"version": dv_case.version, "to": "uptd_ppa",
                                                      "note": "Pendampingan korban"})
    assert r.status_code == 302
    referral = Referral.objects.get(case=dv_case)
    assert (referral.to, referral.status) == ("uptd_ppa", "sent")

    dv_case.refresh_from_db()
    answer = {"version": dv_case.version, "referral": referral.pk}
    r = client.post(f"/kasus/{dv_case.pk}/rujukan-jawab/", {**answer, "accepted": "no"})
    assert r.status_code == 400 and "This is required." in body(r)  # a decline needs a note
    r = client.post(f"/kasus/{dv_case.pk}/rujukan-jawab/", {**answer, "accepted": "yes"})
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_a_supervisor_writes_a_sealed_case_only_after_giving_a_reason(login, dv_case):
    client = login("kapolsek")

    r = client.post(f"/kasus/{dv_case.pk}/rujukan/", {"version": dv_case.version, "to": "ppa_unit"})
    assert r.status_code == 302 and r["Location"] == f"/kasus/{dv_case.pk}/"  # asked for a reason
    assert not Referral.objects.filter(case=dv_case).exists()
    asked = body(client.get(f"/kasus/{dv_case.pk}/"))
    assert 'id="reason-form"' in asked and "give the reason" in asked

    client.post(f"/kasus/{dv_case.pk}/", {"reason": "Rujukan ke unit PPA"})
    r = client.post(f"/kasus/{dv_case.pk}/rujukan/", {"version": dv_case.version, "to": "ppa_unit"})
    assert r.status_code == 302
    assert Referral.objects.filter(case=dv_case, to="ppa_unit").exists()


# --- protection records of sealed cases ------------------------------------------------------

def test_the_officer_writes_the_safety_plan_and_fills_in_the_risk_checklist(login, dv_case):
    client = login("bhabin")
    page = body(client.get(f"/kasus/{dv_case.pk}/"))
    assert f'action="/kasus/{dv_case.pk}/keselamatan/"' in page
    assert f'action="/kasus/{dv_case.pk}/risiko/"' in page

    r = client.post(f"/kasus/{dv_case.pk}/keselamatan/", {
        "version": dv_case.version, "safe_place": "Rumah kakak di Desa Sembiran",
        "trusted_contacts": "Kakak: 0812", "steps": "Simpan tas darurat; hubungi 110."})
    assert r.status_code == 302
    dv_case.refresh_from_db()
    answers = {key: "no" for key in QUESTIONS} | {"strangulation": "yes"}
    missing = {k: v for k, v in answers.items() if k != "weapon"}
    refused = client.post(f"/kasus/{dv_case.pk}/risiko/", {"version": dv_case.version, **missing})
    assert refused.status_code == 400 and 'id="field-id_risiko_weapon"' in body(refused)
    r = client.post(f"/kasus/{dv_case.pk}/risiko/", {"version": dv_case.version, **answers})
    assert r.status_code == 302

    page = body(client.get(f"/kasus/{dv_case.pk}/"))
    assert "Rumah kakak di Desa Sembiran" in page
    risk = page.split('id="risk"')[1].split("</p>")[0]
    assert "high" in risk and "1 risk factors" in risk
    assert RiskAssessment.objects.get(case=dv_case).level == "high"


def test_an_ordinary_case_has_no_protection_forms(login):
    case = open_case()

    page = body(login("bhabin").get(f"/kasus/{case.pk}/"))

    assert 'id="keselamatan"' not in page and "/risiko/" not in page


def test_the_assessment_form_chooses_no_outcome_for_the_officer(login):
    """Issue 15: the first outcome was preselected, so an officer who skipped the field
    recorded it without choosing."""
    client = login("bhabin")
    case = open_case()
    walk(case, "response")
    page = body(client.get(f"/kasus/{case.pk}/"))
    select = page[page.index('name="outcome"'):]
    select = select[:select.index("</select>")]
    assert '<option value="" selected>' in select
    r = client.post(f"/kasus/{case.pk}/asesmen/", {
        "version": Case.objects.get(pk=case.pk).version, "evidence": "Tidak ada cekcok lagi.",
        "community_satisfied": "yes"})
    assert r.status_code == 400
    assert Case.objects.get(pk=case.pk).outcome == ""
