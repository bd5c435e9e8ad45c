"""A form that cannot be sent as it stands is checked by intake's report_check, which writes
nothing: no transaction is opened and rolled back to gather the reasons."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polmas.reports.models import Report

from .portaltools import form

pytestmark = pytest.mark.django_db


def test_a_refused_form_gathers_intakes_reasons_without_a_rolled_back_write():
    before = Report.objects.count()
    with CaptureQueriesContext(connection) as queries:
        # No place (the form says so), and a category intake refuses (intake says so).
        response = Client().post("/lapor/", form(place="", category="teleportation"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "teleportation" in body  # intake's reason reached the form
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert not [s for s in statements if s.startswith(("SAVEPOINT", "ROLLBACK", "INSERT INTO \"REPORTS"))]
    assert Report.objects.count() == before
