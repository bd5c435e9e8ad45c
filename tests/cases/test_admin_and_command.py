"""The back office shows cases read-only and audits a sealed read; the escalation command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.helpers import open_case
from polmas.access.models import AuditEntry
from polmas.cases.models import Case

pytestmark = pytest.mark.django_db


def test_admin_lists_a_sealed_case_and_opens_it_only_with_a_reason_that_is_audited(login, dv_case):
    admin = login("admin")
    listing = admin.get("/admin/cases/case/")
    assert listing.status_code == 200 and str(dv_case.pk) in listing.content.decode()
    url = f"/admin/cases/case/{dv_case.pk}/change/"
    asked = admin.get(url)  # first the question, nothing of the case
    body = asked.content.decode()
    assert asked.status_code == 200 and 'name="sealed_reason"' in body
    assert "Ni Made Korban" not in body and "KDRT berulang" not in body
    assert not AuditEntry.objects.filter(action="case.read_sealed").exists()
    refused = admin.post(url, {"sealed_reason": "   "})  # a blank reason is no reason
    assert refused.status_code == 400 and "Ni Made Korban" not in refused.content.decode()
    assert not AuditEntry.objects.filter(action="case.read_sealed").exists()
    given = admin.post(url, {"sealed_reason": "Permintaan data dari Propam no. 12"})
    assert given.status_code == 302 and given["Location"] == url
    page = admin.get(url)
    assert page.status_code == 200 and "KDRT berulang" in page.content.decode()
    entry = AuditEntry.objects.get(action="case.read_sealed", object_id=str(dv_case.pk))
    assert entry.actor_name == "admin" and "Permintaan data dari Propam no. 12" in entry.reason
    assert admin.get("/admin/cases/case/add/").status_code == 403


def test_the_command_escalates_quiet_cases(capsys):
    quiet = open_case(opened_at=timezone.now() - dt.timedelta(days=10))
    call_command("cases_escalate")
    assert "1 case(s) escalated" in capsys.readouterr().out
    assert Case.objects.get(pk=quiet.pk).unit.kind == "polsek"
