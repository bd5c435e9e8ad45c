"""The confirmation at /lapor/terkirim/: it names the category the resident chose."""

import pytest
from django.test import Client

from .portaltools import send

pytestmark = pytest.mark.django_db


def test_it_names_an_ordinary_category(client: Client):
    send(client)  # a theft

    body = client.get("/lapor/terkirim/").content.decode()

    assert "<dd>Pencurian</dd>" in body
    assert "perkara sensitif" not in body


def test_it_does_not_name_a_sensitive_one(client: Client):
    send(client, category="domestic_violence")

    body = client.get("/lapor/terkirim/").content.decode()

    assert "perkara sensitif" in body
    assert "Kekerasan dalam rumah tangga" not in body
