"""Mediation (refused for what may not be mediated), the written agreement, referrals, and
the protection records of sealed cases."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from pypdf import PdfReader

from cases.helpers import mediate, open_case, walk
from conftest import person
from polmas.cases import mediation, services
from polmas.cases.models import Case, Mediation, MediationParty, Referral
from polmas.cases.pdf import agreement_pdf
from polmas.cases.risk import QUESTIONS

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_mediation_writes_an_agreement_in_indonesian():
    case = walk(open_case(), "analysis")
    m = mediate(case)
    case.refresh_from_db()
    assert case.version == 3 and case.timeline.filter(kind="mediation").exists()
    text = pdf_text(agreement_pdf(m))
    for expected in ["SURAT KESEPAKATAN", case.number, "Balai Banjar Les", "I Wayan Sudarma", "Ketut Rai",
                     "PIHAK PERTAMA", "PIHAK KEDUA", "Ni Ketut Sariasih (FKPM)", "Bhabinkamtibmas",
                     "memperbaiki saluran air", "Les", "MENGETAHUI"]:
        assert expected in text, expected
    # The date in Indonesian words, e.g. "28 November 2026".
    from polmas.cases.pdf import MONTHS
    assert f"{m.held_on.day} {MONTHS[m.held_on.month - 1]} {m.held_on.year}" in text


def test_party_names_are_encrypted_at_rest():
    m = mediate(walk(open_case(), "analysis"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM cases_mediationparty WHERE mediation_id = %s", [m.pk])
        names = [r[0] for r in cursor.fetchall()]
    assert len(names) == 2 and not any("Wayan" in n or "Rai" in n for n in names)


def test_names_outside_latin1_do_not_break_the_pdf():
    case = walk(open_case(), "analysis")
    m = mediation.mediation_record(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                   held_on=case.opened_at.date(), place="Pura Dalem – Les",
                                   terms="Damai “sepenuhnya”.", first_parties=["Kōmang Āyu"],
                                   second_parties=["Made"])
    assert "Komang Ayu" in pdf_text(agreement_pdf(m))


@pytest.mark.parametrize("category", ["domestic_violence", "sexual_violence", "child_abuse", "trafficking",
                                      "drugs", "burglary"])
def test_categories_that_may_not_be_mediated_are_refused_with_the_reason(category):
    case = open_case(category=category)
    before = (case.version, case.stage)
    with pytest.raises(ValidationError) as err:
        mediate(case)
    assert "rujuk" in err.value.message_dict["category"][0].lower()  # "refer it" (Indonesian by default)
    assert not Mediation.objects.exists() and not MediationParty.objects.exists()
    case.refresh_from_db()
    assert (case.version, case.stage) == before


def test_the_setting_adds_categories_that_may_not_be_mediated(settings):
    settings.POLMAS_NON_MEDIABLE_CATEGORIES = ["land_dispute"]
    case = walk(open_case(category="land_dispute"), "analysis")
    with pytest.raises(ValidationError):
        mediate(case)
    settings.POLMAS_NON_MEDIABLE_CATEGORIES = []
    assert mediate(case) is not None


def test_a_mediation_needs_both_sides_terms_and_a_past_date():
    case = walk(open_case(), "analysis")
    with pytest.raises(ValidationError) as err:
        mediation.mediation_record(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                   held_on=None, place="", terms="", first_parties=["A"],
                                   second_parties=[" "])
    assert {"held_on", "place", "terms", "second_parties"} <= set(err.value.message_dict)
    assert not Mediation.objects.exists()


def test_a_referral_is_tracked_until_accepted():
    case = open_case(category="domestic_violence")
    ref = mediation.referral_create(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                    to="uptd_ppa", note="Pendampingan korban")
    assert ref.status == "sent"
    case.refresh_from_db()
    ref = mediation.referral_answer(actor=person("ppa"), case_id=case.pk, version=case.version,
                                    referral_id=ref.pk, accepted=True)
    assert ref.status == "accepted" and ref.accepted_at is not None
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        mediation.referral_answer(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                  referral_id=ref.pk, accepted=False, note="x")
    assert list(case.timeline.values_list("kind", flat=True)) == ["opened", "referral", "referral_answered"]


def test_a_declined_referral_needs_a_reason_and_unknown_services_are_refused():
    case = open_case()
    with pytest.raises(ValidationError) as err:
        mediation.referral_create(actor=person("bhabin"), case_id=case.pk, version=case.version, to="dukun")
    assert "to" in err.value.message_dict
    ref = mediation.referral_create(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                    to="reskrim")
    case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        mediation.referral_answer(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                  referral_id=ref.pk, accepted=False)
    assert "note" in err.value.message_dict
    assert Referral.objects.get(pk=ref.pk).status == "sent"


def test_risk_checklist_gives_a_level(dv_case):
    answers = dict.fromkeys(QUESTIONS, False)
    low = mediation.risk_assess(actor=person("bhabin"), case_id=dv_case.pk, version=dv_case.version,
                                answers=answers)
    assert (low.level, low.score) == ("low", 0)
    answers.update(escalation=True, substance_abuse=True)
    medium = mediation.risk_assess(actor=person("bhabin"), case_id=dv_case.pk, version=dv_case.version + 1,
                                   answers=answers)
    assert medium.level == "medium"
    answers["strangulation"] = True
    high = mediation.risk_assess(actor=person("ppa"), case_id=dv_case.pk, version=dv_case.version + 2,
                                 answers=answers)
    assert (high.level, high.score) == ("high", 3)


def test_risk_checklist_needs_every_answer(dv_case):
    with pytest.raises(ValidationError) as err:
        mediation.risk_assess(actor=person("bhabin"), case_id=dv_case.pk, version=dv_case.version,
                              answers={"weapon": True, "ghosts": True})
    assert "answers.threats_to_kill" in err.value.message_dict and "answers" in err.value.message_dict
    assert not dv_case.risk_assessments.exists()


def test_safety_plan_only_for_sealed_cases_and_encrypted(dv_case):
    plan = mediation.safety_plan_set(actor=person("bhabin"), case_id=dv_case.pk, version=dv_case.version,
                                     safe_place="Rumah kakak di Tejakula", trusted_contacts="0812 1111",
                                     steps="Hubungi 110 bila diancam")
    with connection.cursor() as cursor:
        cursor.execute("SELECT safe_place, steps FROM cases_safetyplan WHERE id = %s", [plan.pk])
        assert "Tejakula" not in "".join(cursor.fetchone())
    ordinary = open_case()
    with pytest.raises(ValidationError):
        mediation.safety_plan_set(actor=person("bhabin"), case_id=ordinary.pk, version=ordinary.version,
                                  safe_place="", trusted_contacts="", steps="x")


def test_a_supervisor_changes_a_sealed_case_only_with_a_reason(dv_case):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        mediation.referral_create(actor=person("kapolsek"), case_id=dv_case.pk, version=dv_case.version,
                                  to="ppa_unit")
    mediation.referral_create(actor=person("kapolsek"), case_id=dv_case.pk, version=dv_case.version,
                              to="ppa_unit", reason="Korban butuh pendampingan segera")
    assert Case.objects.get(pk=dv_case.pk).version == dv_case.version + 1


def test_a_mediated_case_closes_as_resolved_by_mediation():
    case = walk(open_case(), "analysis")
    mediate(case)
    case.refresh_from_db()
    case = walk(case, "response")
    case = services.case_assess(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                outcome="resolved_mediation", evidence="Kesepakatan ditandatangani.",
                                community_satisfied=True)
    case = services.case_close(actor=person("bhabin"), case_id=case.pk, version=case.version)
    assert case.outcome == "resolved_mediation" and "musyawarah" in case.public_summary
