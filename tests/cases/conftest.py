"""Fixtures of the case tests: a second Bhabinkamtibmas in Tejakula, a sealed case."""

import pytest
from django.contrib.auth.models import User

from cases.helpers import LES, TEJAKULA, open_case
from conftest import person
from polmas.access.models import Role, RoleGrant
from polmas.cases.models import Case
from polmas.core.scope import prefix_q
from polmas.policing.models import Assignment

__all__ = ["LES"]


@pytest.fixture
def officer2() -> User:
    """Another Bhabinkamtibmas in Tejakula, posted to villages other than the bhabin's."""
    bhabin = person("bhabin")
    a = (Assignment.objects.filter(prefix_q("village_id", [TEJAKULA]), end__isnull=True)
         .exclude(officer__user=bhabin).select_related("officer").order_by("village_id").first())
    user, _ = User.objects.get_or_create(username="officer2")
    a.officer.user = user
    a.officer.save(update_fields=["user"])
    RoleGrant.objects.get_or_create(user=user, role=Role.BHABINKAMTIBMAS)
    return user


@pytest.fixture
def officer2_village(officer2: User) -> str:
    return Assignment.objects.filter(officer__user=officer2, end__isnull=True).values_list(
        "village_id", flat=True).first()


@pytest.fixture
def dv_case() -> Case:
    """A sealed domestic-violence case in Desa Les, assigned to the bhabin."""
    return open_case(category="domestic_violence", statement="KDRT berulang terhadap istri.",
                     victim_name="Ni Made Korban", victim_contact="081234567890",
                     reporter_name="Tetangga Pelapor")
