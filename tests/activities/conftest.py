"""Helpers for the activities tests: the demo's places and quick builders."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from conftest import person
from polmas.activities.rosters import RosterInput, VolunteerInput, roster_save
from polmas.activities.services import ActivityInput

LES = "51.08.09.2007"  # Desa Les: the bhabin's village
TEJAKULA = "51.08.09"
OTHER_BULELENG = "51.08.01.2001"  # a village in Buleleng outside the bhabin's and kapolsek's scope
DEPOK_VILLAGE_PREFIX = "34.04.07"


def visit(**over) -> ActivityInput:
    data = {"client_uuid": uuid.uuid4(), "kind": "visit", "village": LES,
            "occurred_at": timezone.now() - dt.timedelta(hours=2), "households": 4,
            "issues_heard": "Warga resah soal pencurian ternak."}
    data.update(over)
    return ActivityInput(**data)


def roster_input(**over) -> RosterInput:
    data = {"village": LES, "name": "Ronda Banjar Kawan", "start": timezone.localdate(), "nights": 14,
            "posts": ["Pos Utara", "Pos Selatan"],
            "volunteers": [VolunteerInput(name=f"Warga {i}", phone="08123456789" if i == 0 else "")
                           for i in range(10)],
            "per_post": 2, "max_per_week": 3}
    data.update(over)
    return RosterInput(**data)


@pytest.fixture
def roster(db):
    return roster_save(actor=person("bhabin"), data=roster_input())


