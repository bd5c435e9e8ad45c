"""A supervisor acting on an escalated case (issue 15, item 6): reassign it to an officer in
their jurisdiction, instruct its officer, acknowledge the escalation; scoped, audited, in the
case history; through the services, the page and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from cases.conftest import dv_case, officer2, officer2_village  # noqa: F401
from cases.helpers import open_case
from conftest import OUTSIDER, person
from polmas.access.models import AuditEntry
from polmas.cases import supervision
from polmas.cases.models import Case, TimelineEntry
from polmas.cases.queues import cases_escalated
from polmas.cases.services import cases_escalate
from polmas.policing.models import Officer

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def escalated(**kw) -> Case:
    case = open_case(**kw)
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=8))
    cases_escalate()
    case.refresh_from_db()
    assert case.escalated_at is not None
    return case


def test_reassigning_hands_the_case_over_writes_the_history_and_the_audit(officer2):  # noqa: F811
    case = escalated()
    other = Officer.objects.get(user=officer2)

    supervision.case_reassign(actor=person("kapolsek"), case_id=case.pk, version=case.version,
                              officer_id=other.pk, note="Tolong ambil alih.")

    case.refresh_from_db()
    assert case.assigned_officer_id == other.pk
    entry = TimelineEntry.objects.filter(case=case, kind="reassigned").get()
    assert entry.facts["to"] == other.name and entry.note == "Tolong ambil alih."
    from polmas.cases.timeline import sentence

    with translation.override("en"):
        told = sentence(entry, case)
    assert other.name in told and "Tolong ambil alih." in told and "handed the case" in told
    assert AuditEntry.objects.filter(action="case.reassigned", object_id=str(case.pk),
                                     actor__username="kapolsek").exists()
    assert not cases_escalated(user=person("kapolsek")).filter(pk=case.pk).exists()


def test_an_officer_of_another_jurisdiction_is_refused():
    case = escalated()
    # Another Polsek of Polres Buleleng: in the kapolres's area, but not the case's district.
    far = Officer.objects.filter(unit__region__code__startswith="51.08.01", active=True).first()
    with pytest.raises(ValidationError) as exc:
        supervision.case_reassign(actor=person("kapolres"), case_id=case.pk, version=case.version,
                                  officer_id=far.pk)
    assert "tidak mencakup desa kasus ini" in exc.value.message_dict["officer"][0]
    case.refresh_from_db()
    assert case.assigned_officer_id != far.pk


def test_an_officer_outside_the_supervisors_area_is_refused():
    case = escalated()
    depok = Officer.objects.filter(unit__region__code__startswith="34.04", active=True).first()
    with pytest.raises(ValidationError):
        supervision.case_reassign(actor=person("kapolsek"), case_id=case.pk, version=case.version,
                                  officer_id=depok.pk)


def test_instruction_and_acknowledgement_restart_the_clock_without_counting_as_response():
    case = escalated()
    first_response = case.first_response_at
    sup = person("kapolsek")

    supervision.case_instruct(actor=sup, case_id=case.pk, version=case.version,
                              instruction="Kunjungi kedua pihak minggu ini.")
    case.refresh_from_db()
    assert TimelineEntry.objects.filter(case=case, kind="instruction").get().note == \
        "Kunjungi kedua pihak minggu ini."
    assert case.first_response_at == first_response
    # No longer waiting on the escalation: acknowledging it now is refused.
    with pytest.raises(ValidationError):
        supervision.case_acknowledge(actor=sup, case_id=case.pk, version=case.version)


def test_acknowledging_takes_the_case_off_the_escalated_list():
    case = escalated()
    supervision.case_acknowledge(actor=person("kapolsek"), case_id=case.pk, version=case.version,
                                 note="Sudah saya lihat.")
    assert TimelineEntry.objects.filter(case=case, kind="acknowledged").exists()
    assert AuditEntry.objects.filter(action="case.acknowledged", object_id=str(case.pk)).exists()
    assert not cases_escalated(user=person("kapolsek")).filter(pk=case.pk).exists()


@pytest.mark.parametrize("who", ["bhabin", "ppa", "fkpm"])
def test_only_a_supervisor_acts(who):
    case = escalated()
    with pytest.raises((PermissionDenied, Http404)):
        supervision.case_instruct(actor=person(who), case_id=case.pk, version=case.version,
                                  instruction="x")
    assert not TimelineEntry.objects.filter(case=case, kind="instruction").exists()


def test_a_supervisor_of_another_area_gets_404():
    case = escalated()
    with pytest.raises(Http404):
        supervision.case_instruct(actor=person(OUTSIDER), case_id=case.pk, version=case.version,
                                  instruction="x")


def test_a_sealed_case_needs_the_supervisors_reason(dv_case):  # noqa: F811
    with pytest.raises(PermissionDenied):
        supervision.case_instruct(actor=person("kapolsek"), case_id=dv_case.pk, version=dv_case.version,
                                  instruction="Rujuk ke UPTD PPA.")
    supervision.case_instruct(actor=person("kapolsek"), case_id=dv_case.pk, version=dv_case.version,
                              instruction="Rujuk ke UPTD PPA.", reason="Memantau eskalasi.")
    assert AuditEntry.objects.filter(action="case.instruction", object_id=str(dv_case.pk),
                                     reason="Memantau eskalasi.").exists()


# --- the page -------------------------------------------------------------------------------

def test_the_page_reassigns_and_the_case_history_says_so(login, officer2):  # noqa: F811
    case = escalated()
    other = Officer.objects.get(user=officer2)
    client = login("kapolsek")

    form = client.get(f"/kasus/{case.pk}/awasi/", headers=EN)
    assert form.status_code == 200 and f'value="{other.pk}"' in form.content.decode()
    done = client.post(f"/kasus/{case.pk}/awasi/", {"action": "reassign", "version": case.version,
                                                    "officer": other.pk}, headers=EN, follow=True)
    assert done.status_code == 200
    case.refresh_from_db()
    assert case.assigned_officer_id == other.pk
    detail = client.get(f"/kasus/{case.pk}/", headers=EN).content.decode()
    assert "handed to another officer" in detail


def test_the_page_refuses_an_empty_instruction_naming_the_field(login):
    case = escalated()
    response = login("kapolsek").post(f"/kasus/{case.pk}/awasi/", {
        "action": "instruct", "version": case.version, "instruction": ""}, headers=EN)
    assert response.status_code == 400
    assert 'id="field-id_instruct_instruction"' in response.content.decode()
    assert not TimelineEntry.objects.filter(case=case, kind="instruction").exists()


@pytest.mark.parametrize("who", ["bhabin", "ppa", "warga", OUTSIDER])
def test_the_page_is_404_to_others(login, who):
    case = escalated()
    assert login(who).get(f"/kasus/{case.pk}/awasi/").status_code == 404


# --- the API --------------------------------------------------------------------------------

def test_the_api_instructs_and_acknowledges(api):
    case = escalated()
    client = api("kapolsek")
    r = client.post(f"/api/v1/cases/{case.pk}/acknowledge", {"version": case.version, "note": "Dilihat."})
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    r = client.post(f"/api/v1/cases/{case.pk}/instruction",
                    {"version": case.version, "instruction": "Laporkan besok."})
    assert r.status_code == 200, r.content
    assert TimelineEntry.objects.filter(case=case, kind__in=["acknowledged", "instruction"]).count() == 2


def test_the_api_reassign_refuses_an_officer_outside_and_answers_404_to_bhabin(api):
    case = escalated()
    far = Officer.objects.filter(unit__region__code__startswith="51.08.01", active=True).first()
    body = {"version": case.version, "officer_id": far.pk}
    r = api("kapolres").post(f"/api/v1/cases/{case.pk}/reassign", body)
    assert r.status_code == 400 and "officer" in r.content.decode()
    r = api("bhabin").post(f"/api/v1/cases/{case.pk}/reassign", body)
    assert r.status_code in (403, 404)
