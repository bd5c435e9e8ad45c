"""The form sent again (its answer lost: the same client UUID, from the same address) shows a
working tracking code again; the first one stops working (ADR 16)."""

import pytest
from django.test import Client

from polmas.reports.models import Report

from .portaltools import form, tracking_code

pytestmark = pytest.mark.django_db


def test_the_form_sent_again_shows_a_fresh_working_code(client: Client):
    sent = form()
    assert client.post("/lapor/", sent).status_code == 302
    first = tracking_code(client)
    count = Report.objects.count()
    assert client.post("/lapor/", sent).status_code == 302
    again = tracking_code(client)
    assert Report.objects.count() == count and again != first
    assert client.post("/lapor/status/", {"code": again}).status_code == 200
    assert client.post("/lapor/status/", {"code": first}).status_code == 404


def test_another_address_sending_the_same_form_gets_no_code(client: Client):
    sent = form()
    client.post("/lapor/", sent)
    first = tracking_code(client)
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post("/lapor/", sent).status_code == 302
    page = other.get("/lapor/terkirim/").content.decode()
    assert 'id="tracking-code"' not in page and "Laporan ini sudah diterima" in page
    assert client.post("/lapor/status/", {"code": first}).status_code == 200
