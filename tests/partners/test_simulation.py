"""The demo's partners: organisations, an agreement expiring within 60 days, services in
Bali and D.I. Yogyakarta, the business partner's account; a re-run adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from polmas.partners.alerts import expiring
from polmas.partners.models import Agreement, Organisation, Service
from polmas.partners.selectors import organisation_of
from polmas.simulation.partners import BUSINESS_ACCOUNT, partners_generate
from polmas.simulation.run import generator

pytestmark = pytest.mark.django_db


def test_the_demo_has_partners_and_a_rerun_adds_nothing():
    assert generator("partners") is partners_generate  # the demo picks it up
    assert partners_generate(provinces=["51", "34"], year=2025, seed=1) == 6
    counts = (Organisation.objects.count(), Agreement.objects.count(), Service.objects.count())
    partners_generate(provinces=["51", "34"], year=2025, seed=1)
    assert (Organisation.objects.count(), Agreement.objects.count(), Service.objects.count()) == counts
    today = timezone.localdate()
    soon = expiring(today)
    assert len(soon) == 1 and soon[0].ends_on <= today + dt.timedelta(days=60)
    assert {s.region_id[:2] for s in Service.objects.all()} == {"51", "34"}
    from conftest import person

    assert organisation_of(person(BUSINESS_ACCOUNT)).kind == "business"
    assert organisation_of(person("mitra")).name == "Yayasan Mitra Aman Bali"
