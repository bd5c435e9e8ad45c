import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from polmas.access.models import Role, RoleGrant
from polmas.surveys.waves import wave_simulate

YEAR = dt.date.today().year


@pytest.fixture
def wave():
    """A simulated wave in D.I. Yogyakarta (5 regencies), ±10 points: quick to build."""
    return wave_simulate(provinces=["34"], year=YEAR, seed=7, margin=10.0)


@pytest.fixture
def enumerator():
    user = User.objects.create_user("enum_ugm", password="x-enum-pass-1")  # noqa: S106
    RoleGrant.objects.create(user=user, role=Role.ENUMERATOR, organisation="Universitas Gadjah Mada")
    return user


@pytest.fixture(autouse=True)
def _english():
    """These tests read the reasons in English (the msgids); pages asked for in a language
    of their own still answer in it."""
    with translation.override("en"):
        yield
