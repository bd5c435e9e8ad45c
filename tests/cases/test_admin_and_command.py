"""The back office shows cases read-only and audits a sealed read; the escalation command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.helpers import open_case
from polmas.access.models import AuditEntry
from polmas.cases.models import Case

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_a_sealed_case_with_an_audited_read(login, dv_case):
    admin = login("admin")
    listing = admin.get("/admin/cases/case/")
    assert listing.status_code == 200 and str(dv_case.pk) in listing.content.decode()
    page = admin.get(f"/admin/cases/case/{dv_case.pk}/change/")
    assert page.status_code == 200
    assert AuditEntry.objects.filter(action="case.read_sealed", object_id=str(dv_case.pk),
                                     actor_name="admin").exists()
    assert admin.get("/admin/cases/case/add/").status_code == 403


def test_the_command_escalates_quiet_cases(capsys):
    quiet = open_case(opened_at=timezone.now() - dt.timedelta(days=10))
    call_command("cases_escalate")
    assert "1 case(s) escalated" in capsys.readouterr().out
    assert Case.objects.get(pk=quiet.pk).unit.kind == "polsek"
