"""`polmas personal_data`: a person's export holds all their records and nobody else's; the
erasure keeps every figure and leaves no trace of them in the rows; both are audited."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from polmas.access.models import AuditEntry
from polmas.analytics.models import MonthlyFigures
from polmas.analytics.services import rollups_refresh
from polmas.core.fields import decrypt
from polmas.forums.models import Meeting, MeetingActionItem, Member
from polmas.reports.models import Conversation, Report
from polmas.reports.selectors import reports_counted
from polmas.reports.tracking import value_hash
from privacy.helpers import BUDI, SITI, SITI_EMAIL, cast
from reports.helpers import LES, OTHER_PHONE, PHONE

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("personal_data", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def raw(table: str, columns: str, pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (test)
        return cursor.fetchone()


def figures(code: str) -> list[tuple]:
    rows = MonthlyFigures.objects.filter(prefix__startswith=code[:5]).order_by(
        "level", "prefix", "month", "category_id", "pk")
    return [(r.level, r.prefix, r.month, r.category_id, r.reports, r.reports_responded,
             r.meetings) for r in rows]


def test_the_export_holds_every_record_of_the_person_and_nothing_of_another():
    c = cast()
    document = json.loads(run("export", "--phone", "0812-3456-7890", "--by", "admin"))
    assert sorted(r["id"] for r in document["reports"]) == sorted(r.pk for r in c.siti_reports)
    assert [m["id"] for m in document["forum_memberships"]] == [c.siti_member.pk]
    first = next(r for r in document["reports"] if r["id"] == c.siti_reports[0].pk)
    assert first["name"] == SITI and first["phone"] == PHONE and first["category"] == "theft"
    assert document["forum_memberships"][0]["email"] == SITI_EMAIL
    assert any(a["description"] == "Ronda malam" for a in document["forum_memberships"][0]["action_items"])
    text = json.dumps(document)
    assert OTHER_PHONE not in text and BUDI not in text


def test_the_export_finds_the_person_by_email_alone():
    c = cast()
    document = json.loads(run("export", "--email", SITI_EMAIL.upper(), "--by", "admin"))
    assert [r["id"] for r in document["reports"]] == [c.siti_reports[1].pk]
    assert [m["id"] for m in document["forum_memberships"]] == [c.siti_member.pk]


def test_every_exported_record_is_audited_under_the_administrator():
    c = cast()
    run("export", "--phone", PHONE, "--by", "admin")
    entries = AuditEntry.objects.filter(action="personal_data.export")
    assert {(e.object_type, e.object_id) for e in entries} == {
        ("reports.report", str(c.siti_reports[0].pk)), ("reports.report", str(c.siti_reports[1].pk)),
        ("forums.member", str(c.siti_member.pk))}
    assert {e.actor_name for e in entries} == {"admin"}
    assert {e.region_code for e in entries} == {LES}
    assert all(PHONE not in json.dumps(e.detail) for e in entries)


def test_the_erasure_keeps_the_figures_and_leaves_no_trace_in_the_rows():
    c = cast()
    rollups_refresh(places=[LES])
    before, counted = figures(LES), reports_counted().count()
    members = Member.objects.filter(forum=c.forum, active=True).count()
    run("erase", "--phone", PHONE, "--by", "admin", "--reason", "Permintaan no. 14/2026")
    rollups_refresh(places=[LES])
    assert figures(LES) == before
    assert reports_counted().count() == counted
    assert Member.objects.filter(forum=c.forum, active=True).count() == members
    for report in c.siti_reports:
        row = raw("reports_report", "reporter_name, reporter_phone, reporter_email, client_key, "
                  "description, category_id, region_code, status, created_at", report.pk)
        assert row[:4] == ("", "", "", "")
        text = decrypt(row[4])
        assert PHONE not in text and SITI not in text
        assert (row[5], row[6], row[7]) == (report.category_id, report.village_id, report.status)
    assert "[dihapus]" in decrypt(raw("reports_report", "description", c.siti_reports[0].pk)[0])
    name, phone, email, user = raw("forums_member", "name, phone, email, user_id", c.siti_member.pk)
    assert SITI not in name and (phone, email, user) == ("", "", None)
    assert not Member.objects.filter(name=SITI).exists()
    assert not MeetingActionItem.objects.filter(owner_name=SITI).exists()
    assert not Meeting.objects.filter(forum=c.forum, minutes__contains=SITI).exists()
    # Budi is untouched.
    budi = Report.objects.get(pk=c.budi_report.pk)
    assert (budi.reporter_name, budi.reporter_phone) == (BUDI, OTHER_PHONE)
    assert Member.objects.get(pk=c.budi_member.pk).phone == OTHER_PHONE


def test_the_erasure_is_audited_with_its_reason():
    c = cast()
    run("erase", "--phone", PHONE, "--by", "admin", "--reason", "Permintaan no. 14/2026")
    entries = AuditEntry.objects.filter(action="personal_data.erase")
    assert {(e.object_type, e.object_id) for e in entries} == {
        ("reports.report", str(c.siti_reports[0].pk)), ("reports.report", str(c.siti_reports[1].pk)),
        ("forums.member", str(c.siti_member.pk))}
    assert {e.reason for e in entries} == {"Permintaan no. 14/2026"}


def test_after_the_erasure_nothing_is_found_any_more():
    cast()
    run("erase", "--phone", PHONE, "--by", "admin", "--reason", "Permintaan")
    document = json.loads(run("export", "--phone", PHONE, "--by", "admin"))
    assert document["reports"] == [] and document["forum_memberships"] == []


@pytest.mark.parametrize("args, field", [
    (["erase", "--phone", PHONE, "--by", "admin"], "--reason"),
    (["export", "--phone", "12345", "--by", "admin"], "--phone"),
    (["export", "--by", "admin"], "--phone"),
    (["export", "--phone", PHONE, "--by", "kapolda"], "--by"),
    (["export", "--phone", PHONE, "--by", "nobody"], "--by"),
])
def test_a_bad_request_changes_nothing_and_names_the_option(args, field):
    c = cast()
    with pytest.raises(CommandError, match=field):
        run(*args)
    assert Report.objects.get(pk=c.siti_reports[0].pk).reporter_phone == PHONE
    assert not AuditEntry.objects.filter(action__startswith="personal_data.").exists()


def test_an_unfinished_sms_dialogue_is_exported_and_erased():
    sender = "+62" + PHONE[1:]
    Conversation.objects.create(channel="sms", sender_hash=value_hash("phone", sender), sender=sender,
                                state={"step": "village"})
    document = json.loads(run("export", "--phone", PHONE, "--by", "admin"))
    assert document["dialogues"] == [{"channel": "sms", "number": sender, "state": {"step": "village"},
                                      "updated_at": document["dialogues"][0]["updated_at"]}]
    run("erase", "--phone", PHONE, "--by", "admin", "--reason", "Permintaan")
    assert not Conversation.objects.filter(sender_hash=value_hash("phone", sender)).exists()


def test_a_search_by_phone_compares_only_reports_with_a_phone_or_e_mail():
    from polmas.core.persons import Person
    from polmas.reports import personal_data as reports_data

    by_phone = Person.parse(phone="081234567890")
    by_name = Person.parse(name="Siti Aminah")
    with_contact = Report.objects.exclude(reporter_phone="", reporter_email="").count()
    with_name = Report.objects.exclude(reporter_name="").count()
    assert reports_data.reports_to_compare(by_phone) == with_contact
    assert reports_data.reports_to_compare(by_name) == with_name
