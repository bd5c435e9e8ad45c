"""Sealed sensitive cases, role by role: who reads them, who must give a reason, who never
learns more than that a sensitive matter is being handled."""

import pytest
from django.db import connection

from cases.helpers import LES, TEJAKULA, open_case
from conftest import person
from polmas.access.models import AuditEntry
from polmas.cases import selectors
from polmas.cases.models import Case

pytestmark = pytest.mark.django_db


def read(username: str, case: Case, reason: str = "") -> Case | None:
    return selectors.case_get(user=person(username), case_id=case.pk, reason=reason)


def listed(username: str, case: Case) -> bool:
    return selectors.case_list(user=person(username)).filter(pk=case.pk).exists()


def sealed_reads(case: Case) -> list[tuple[str, str]]:
    return list(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                          action="case.read_sealed").values_list("actor_name", "reason"))


def test_the_assigned_officer_reads_and_lists_it_audited(dv_case):
    assert read("bhabin", dv_case) == dv_case
    assert listed("bhabin", dv_case)
    assert sealed_reads(dv_case) == [("bhabin", "")]


def test_the_ppa_officer_in_scope_reads_it(dv_case):
    assert read("ppa", dv_case) == dv_case
    assert listed("ppa", dv_case)


def test_another_officer_in_the_district_gets_nothing(dv_case, officer2):
    assert read("officer2", dv_case) is None
    assert not listed("officer2", dv_case)


def test_another_officers_sealed_case_is_hidden_from_the_bhabin(officer2, officer2_village):
    theirs = open_case("officer2", category="child_abuse", village=officer2_village)
    assert theirs.assigned_officer.user == officer2
    # The bhabin's scope does not hold that village at all; the kapolsek's does.
    assert read("bhabin", theirs) is None
    with pytest.raises(selectors.ReasonRequired):
        read("kapolsek", theirs)


@pytest.mark.parametrize("supervisor", ["kapolsek", "kapolres", "kapolda"])
def test_a_supervisor_in_scope_must_give_a_reason(dv_case, supervisor):
    with pytest.raises(selectors.ReasonRequired):
        read(supervisor, dv_case)
    with pytest.raises(selectors.ReasonRequired):
        read(supervisor, dv_case, reason="   ")
    assert sealed_reads(dv_case) == []
    assert read(supervisor, dv_case, reason="Pengawasan penanganan KDRT") == dv_case
    assert sealed_reads(dv_case) == [(supervisor, "Pengawasan penanganan KDRT")]
    # Not listed as readable; listed as sealed for the work queue (no details in the API).
    assert not listed(supervisor, dv_case)
    assert selectors.case_list(user=person(supervisor), sealed_listed=True).filter(pk=dv_case.pk).exists()


@pytest.mark.parametrize("username", ["fkpm", "warga", "mitra", "bappenas", "kapolsek_depok"])
def test_everyone_else_gets_404_even_with_a_reason(dv_case, username):
    assert read(username, dv_case, reason="ingin tahu") is None
    assert not selectors.case_list(user=person(username), sealed_listed=True).filter(pk=dv_case.pk).exists()
    assert sealed_reads(dv_case) == []


def test_forum_and_public_learn_only_that_a_sensitive_matter_is_handled(dv_case):
    open_case()  # an ordinary case beside it
    assert selectors.sensitive_being_handled(prefixes=[LES]) == 1
    assert selectors.stage_counts(user=person("fkpm")) == {"scanning": 2}
    assert not selectors.public_outcomes(prefixes=[TEJAKULA]).filter(pk=dv_case.pk).exists()
    assert listed("fkpm", Case.objects.exclude(pk=dv_case.pk).get())


def test_identities_are_encrypted_at_rest(dv_case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT victim_name, victim_contact, reporter_name FROM cases_case WHERE id = %s",
                       [dv_case.pk])
        raw = cursor.fetchone()
    assert all(v and "Korban" not in v and "0812" not in v and "Pelapor" not in v for v in raw)
    assert Case.objects.get(pk=dv_case.pk).victim_name == "Ni Made Korban"


def test_ordinary_cases_are_read_by_every_reader_in_scope(officer2):
    case = open_case()
    for username in ["bhabin", "fkpm", "kapolsek", "kapolres", "ppa"]:
        assert read(username, case) == case, username
    for username in ["warga", "mitra", "kapolsek_depok", "officer2"]:
        assert read(username, case) is None, username
    assert not AuditEntry.objects.filter(action="case.read_sealed").exists()
