"""What people write about a case is encrypted at rest: its narrative, actions, timeline,
referral notes and risk answers are not in the database as plain text, yet the app shows
them to whoever may read the case. The data migration encrypts rows stored before."""

import datetime as dt
import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.db import connection
from django.utils import timezone

from cases.helpers import mediate, open_case, walk
from conftest import person
from polmas.cases import mediation, services
from polmas.cases.models import Case
from polmas.cases.risk import QUESTIONS

pytestmark = pytest.mark.django_db

SECRETS = {
    "statement": "Suami memukul istri setiap malam",
    "incidents_note": "Tetangga mendengar jeritan",
    "triangle": "Istri dan anak-anak",
    "causes": "Mabuk dan utang judi",
    "community_input": "Kelian banjar bersedia menampung",
    "plan": "Pendampingan ke rumah aman",
    "action": "Antar korban ke UPTD PPA",
    "owner": "Ibu Ketut Kakak Korban",
    "referral": "Korban perlu visum segera",
    "answer": "Diterima oleh konselor Ayu",
}


def raw(table: str, columns: list[str], where: str, params: list) -> list[str]:
    """Every value of `columns` in the matching rows, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", params)  # noqa: S608
        return [str(v) for row in cursor.fetchall() for v in row]


def all_raw(case: Case) -> list[str]:
    cols = ["title", "statement", "incidents_note", "triangle", "causes", "community_input", "plan",
            "evidence"]
    return (raw("cases_case", cols, "id = %s", [case.pk])
            + raw("cases_action", ["description", "owner_name"], "case_id = %s", [case.pk])
            + raw("cases_timelineentry", ["note"], "case_id = %s", [case.pk])
            + raw("cases_referral", ["note", "answer_note"], "case_id = %s", [case.pk])
            + raw("cases_riskassessment", ["answers"], "case_id = %s", [case.pk])
            + raw("cases_mediation", ["terms"], "case_id = %s", [case.pk]))


@pytest.fixture
def sealed_case() -> Case:
    """A domestic-violence case with something written at every step."""
    bhabin = person("bhabin")
    case = open_case(category="domestic_violence", statement=SECRETS["statement"],
                     incidents_note=SECRETS["incidents_note"], title=SECRETS["statement"])
    triangle = {k: SECRETS["triangle"] for k in services.TRIANGLE}
    case = services.case_analyse(actor=bhabin, case_id=case.pk, version=case.version, triangle=triangle,
                                 causes=SECRETS["causes"], community_input=SECRETS["community_input"])
    case = services.case_respond(
        actor=bhabin, case_id=case.pk, version=case.version, plan=SECRETS["plan"],
        actions=[{"description": SECRETS["action"], "owner_kind": "partner", "owner_name": SECRETS["owner"],
                  "due": timezone.localdate() + dt.timedelta(days=3)}])
    referral = mediation.referral_create(actor=bhabin, case_id=case.pk, version=case.version,
                                         to="uptd_ppa", note=SECRETS["referral"])
    case.refresh_from_db()
    mediation.referral_answer(actor=bhabin, case_id=case.pk, version=case.version,
                              referral_id=referral.pk, accepted=True, note=SECRETS["answer"])
    case.refresh_from_db()
    mediation.risk_assess(actor=bhabin, case_id=case.pk, version=case.version,
                          answers={k: k == "strangulation" for k in QUESTIONS})
    case.refresh_from_db()
    return case


def test_a_sealed_cases_texts_are_not_stored_in_plain_text(sealed_case):
    stored = all_raw(sealed_case)
    assert len(stored) >= 8 + 2 + 5 + 2 + 1
    # (Whole phrases: a token is URL-safe base64, with no spaces or quotes to match by chance.)
    for name, secret in SECRETS.items():
        assert not any(secret in v for v in stored), name
    # The risk checklist's answers: not even which questions were asked.
    assert not any('"strangulation"' in v for v in stored)
    # The timeline quotes the plan, also encrypted.
    assert raw("cases_timelineentry", ["count(*)"], "case_id = %s AND note <> ''", [sealed_case.pk]) != ["0"]


def test_the_assigned_officer_still_reads_it_all_in_the_page_and_the_api(sealed_case, login, api):
    page = login("bhabin").get(f"/kasus/{sealed_case.pk}/").content.decode()
    for name in ["statement", "causes", "plan", "action", "owner", "referral"]:
        assert SECRETS[name] in page, name
    body = api("bhabin").get(f"/api/v1/cases/{sealed_case.pk}").json()
    assert body["statement"] == SECRETS["statement"] and body["title"] == SECRETS["statement"]
    assert body["triangle"]["victim"] == SECRETS["triangle"]
    assert body["causes"] == SECRETS["causes"] and body["plan"] == SECRETS["plan"]
    assert body["actions"][0]["description"] == SECRETS["action"]
    assert body["actions"][0]["owner_name"] == SECRETS["owner"]
    assert body["referrals"][0]["note"] == SECRETS["referral"]
    assert body["referrals"][0]["answer_note"] == SECRETS["answer"]
    assert body["risk"]["answers"]["strangulation"] is True and body["risk"]["level"] == "high"
    assert any(SECRETS["plan"] in t["note"] for t in body["timeline"])


def test_ordinary_cases_are_encrypted_too_and_mediation_terms_with_them():
    # A case can be found sensitive later: nothing it held may have been written in plain text.
    case = walk(open_case(), "analysis")
    mediate(case)
    stored = all_raw(case)
    for word in ["Sengketa saluran", "Tiga kali", "Warga pemilik", "Air kurang", "memperbaiki saluran"]:
        assert not any(word in v for v in stored), word
    assert Case.objects.get(pk=case.pk).mediations.get().terms.startswith("Pihak kedua memperbaiki")


def plain_text_rows(case: Case) -> None:
    """Put the case's texts back in plain text, as they were before the migration."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET statement = %s, triangle = %s, causes = '' WHERE id = %s",
                       ["KDRT lama tersimpan polos", '{"victim": "Korban lama"}', case.pk])
        cursor.execute("UPDATE cases_action SET description = %s, owner_name = %s WHERE case_id = %s",
                       ["Tindakan lama polos", "Pemilik lama", case.pk])
        cursor.execute("UPDATE cases_riskassessment SET answers = %s WHERE case_id = %s",
                       ['{"weapon": true}', case.pk])


class Editor:
    connection = connection


def test_the_migration_encrypts_rows_written_before_it_idempotently_and_reverses(sealed_case):
    migration = importlib.import_module("polmas.cases.migrations.0005_encrypt_existing_narratives")
    plain_text_rows(sealed_case)
    assert "KDRT lama tersimpan polos" in all_raw(sealed_case)

    migration.encrypt_rows(apps, Editor())
    once = all_raw(sealed_case)
    assert not any("tersimpan polos" in v or "Pemilik lama" in v or '"weapon"' in v for v in once)
    case = Case.objects.get(pk=sealed_case.pk)
    assert case.statement == "KDRT lama tersimpan polos" and case.triangle == {"victim": "Korban lama"}
    assert case.causes == "" and case.plan == SECRETS["plan"]  # empty stays empty; encrypted stays
    assert case.actions.get().owner_name == "Pemilik lama"
    assert case.risk_assessments.get().answers == {"weapon": True}

    migration.encrypt_rows(apps, Editor())  # again: nothing is encrypted twice
    assert all_raw(sealed_case) == once

    migration.decrypt_rows(apps, Editor())
    back = all_raw(sealed_case)
    assert "KDRT lama tersimpan polos" in back and SECRETS["plan"] in back
    assert "Pemilik lama" in back and '{"weapon": true}' in back


def test_the_migration_stops_at_a_value_encrypted_with_a_key_it_does_not_have(sealed_case):
    migration = importlib.import_module("polmas.cases.migrations.0005_encrypt_existing_narratives")
    foreign = Fernet(Fernet.generate_key()).encrypt(b"dari kunci lain").decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET causes = %s WHERE id = %s", [foreign, sealed_case.pk])
    with pytest.raises(RuntimeError, match="not configured"):
        migration.encrypt_rows(apps, Editor())
    assert raw("cases_case", ["causes"], "id = %s", [sealed_case.pk]) == [foreign]  # not encrypted twice
