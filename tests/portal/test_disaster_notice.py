"""Disaster mode is told to those it affects: the officer's home in the area, the resident's
home, and the report form (with the village found, and on the confirmation)."""

import pytest
from django.test import Client

from conftest import person
from polmas.activities.disaster import disaster_start

from .portaltools import send

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}
TEJAKULA = "51.08.09"


@pytest.fixture
def quake():
    return disaster_start(actor=person("kapolsek"), prefix=TEJAKULA, kind="earthquake",
                          reason="Gempa M6,1; rumah rusak di banjar kaja")


def test_the_officers_home_says_it_is_on(login, quake):
    body = login("bhabin").get("/", headers=EN).content.decode()

    assert 'id="disaster-mode"' in body
    assert "Tejakula district" in body
    assert "come first in work queues" in body
    assert "banjar kaja" not in body  # the supervisor's reason stays internal


def test_an_officer_elsewhere_is_not_told(login, quake):
    body = login("kapolsek_depok").get("/", headers=EN).content.decode()
    assert 'id="disaster-mode"' not in body


def test_the_residents_home_says_it_is_on(login, quake):
    body = login("warga").get("/", headers=EN).content.decode()
    assert 'id="disaster-mode"' in body


def test_the_report_form_says_it_is_on_and_names_the_place(client: Client, quake):
    body = client.get("/lapor/", headers=EN).content.decode()
    assert 'id="disaster-mode"' in body and "Tejakula district" in body

    send(client)  # a theft in Les, Tejakula
    sent = client.get("/lapor/terkirim/", headers=EN).content.decode()
    assert 'id="village-disaster"' in sent


def test_nothing_is_said_when_it_is_off(client: Client):
    assert 'id="disaster-mode"' not in client.get("/lapor/").content.decode()
