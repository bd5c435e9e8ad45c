"""report_list, report_get, inbox, public_status: scope, sealing and what the public sees."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import OUTSIDER, person
from polmas.access.models import AuditEntry
from polmas.reports.models import Report
from polmas.reports.selectors import (
    ReasonRequired,
    can_see_reporter,
    inbox,
    public_status,
    report_get,
    report_list,
)
from reports.helpers import DEPOK_VILLAGE, LES, PHONE, submit

pytestmark = pytest.mark.django_db


def sealed() -> Report:
    return submit(category="domestic_violence", description="Ibu dipukul suaminya tiap malam.",
                  anonymous=False, name="Made Rai", phone=PHONE, reply_channel="sms").report


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.mark.parametrize("username", ["bhabin", "fkpm", "kapolsek", "kapolres", "kapolda", "admin"])
def test_readers_in_scope_list_and_open_an_ordinary_report(username):
    report = submit().report
    user = person(username)
    assert report.pk in ids(report_list(user=user))
    assert report_get(user=user, report_id=report.pk) == report


@pytest.mark.parametrize("username", ["warga", "mitra", "bappenas", OUTSIDER])
def test_residents_partners_planners_and_outsiders_see_nothing(username):
    report = submit().report
    user = person(username)
    assert report.pk not in ids(report_list(user=user))
    assert report_get(user=user, report_id=report.pk) is None
    assert report.pk not in ids(inbox(user=user))


def test_the_anonymous_public_reads_nothing():
    report = submit().report
    assert not report_list(user=AnonymousUser()).exists()
    assert report_get(user=AnonymousUser(), report_id=report.pk) is None


def test_a_supervisor_in_yogyakarta_sees_a_report_of_depok_but_not_of_les():
    les, depok = submit().report, submit(village=DEPOK_VILLAGE).report
    listed = ids(report_list(user=person(OUTSIDER)))
    assert depok.pk in listed and les.pk not in listed


def test_a_forum_member_never_sees_a_sealed_report_of_their_village():
    report = sealed()
    fkpm = person("fkpm")
    assert report.pk not in ids(report_list(user=fkpm)) and report.pk not in ids(inbox(user=fkpm))
    assert report_get(user=fkpm, report_id=report.pk) is None
    assert report_get(user=fkpm, report_id=report.pk, reason="ingin tahu") is None


@pytest.mark.parametrize("username", ["bhabin", "ppa"])
def test_the_village_officer_and_ppa_read_a_sealed_report_and_the_read_is_audited(username):
    report = sealed()
    user = person(username)
    assert report.pk in ids(report_list(user=user)) and report.pk in ids(inbox(user=user))
    assert report_get(user=user, report_id=report.pk) == report
    assert AuditEntry.objects.filter(action="report.read_sealed", object_id=str(report.pk),
                                     actor=user).count() == 1


def test_a_supervisor_must_give_a_reason_to_open_a_sealed_report():
    report = sealed()
    kapolsek = person("kapolsek")
    assert report.pk not in ids(report_list(user=kapolsek))
    with pytest.raises(ReasonRequired):
        report_get(user=kapolsek, report_id=report.pk)
    with pytest.raises(ReasonRequired):
        report_get(user=kapolsek, report_id=report.pk, reason="   ")
    assert not AuditEntry.objects.filter(action="report.read_sealed", actor=kapolsek).exists()
    assert report_get(user=kapolsek, report_id=report.pk, reason="Pemeriksaan kasus KDRT") == report
    entry = AuditEntry.objects.get(action="report.read_sealed", actor=kapolsek)
    assert entry.reason == "Pemeriksaan kasus KDRT" and entry.object_id == str(report.pk)


def test_a_supervisor_out_of_scope_cannot_open_a_sealed_report_even_with_a_reason():
    report = sealed()
    assert report_get(user=person(OUTSIDER), report_id=report.pk, reason="alasan") is None


def test_the_bhabin_inbox_holds_a_report_of_les_and_not_one_of_depok():
    les, depok = submit().report, submit(village=DEPOK_VILLAGE).report
    mine = ids(inbox(user=person("bhabin")))
    assert les.pk in mine and depok.pk not in mine
    assert les.pk in ids(inbox(user=person("fkpm")))
    # The kapolsek supervises Les but the report went to its officer, not to them.
    assert les.pk not in ids(inbox(user=person("kapolsek")))


@pytest.mark.parametrize("username,allowed", [
    ("bhabin", True), ("kapolsek", True), ("kapolres", True), ("ppa", True), ("admin", True),
    ("fkpm", False), ("mitra", False), ("bappenas", False), ("warga", False),
])
def test_only_police_roles_may_see_the_reporter(username, allowed):
    assert can_see_reporter(person(username)) is allowed
    assert can_see_reporter(AnonymousUser()) is False


def test_the_public_status_shows_progress_and_nothing_private():
    done = submit(anonymous=False, name="Komang Ayu", phone=PHONE, reply_channel="sms")
    status = public_status(code=done.tracking_code.lower().replace("-", " "))
    assert status["number"] == done.report.pk and status["category"].code == "theft"
    assert status["village"].code == LES and status["status"] == "received"
    assert [e["kind"] for e in status["events"]] == ["received"]
    assert "Komang" not in str(status) and PHONE not in str(status)


def test_the_public_status_of_a_sealed_report_names_no_category_nor_summary():
    report = sealed()
    Report.objects.filter(pk=report.pk).update(public_summary="rahasia")
    code = submit(category="domestic_violence", description="Lagi.").tracking_code
    status = public_status(code=code)
    assert status["sensitive"] and status["category"] is None and status["summary"] == ""


@pytest.mark.parametrize("code", ["", "ABCD-EFGH-JKMN", "ABCD", "ABCD-EFGH-JKMN-PQRS", "ÀBCD-EFGH-JKMN",
                                  "ABCD\x00EFGH-JKMN"])
def test_a_wrong_or_malformed_code_shows_nothing(code):
    submit()
    assert public_status(code=code) is None
