"""Fixtures for the meeting tests: the demo FKPM member's forum in Desa Les and a meeting there."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from conftest import person
from polmas.core.scope import prefix_q
from polmas.forums.models import Forum, Meeting
from polmas.forums.services import meeting_create

LES = "51.08.09.2007"  # Desa Les: the bhabin's and the fkpm member's village
TAMBAKAN = "51.08.08.2001"  # Buleleng, another district than Tejakula


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def les_forum() -> Forum:
    """The forum the `fkpm` demo account belongs to."""
    return Forum.objects.get(members__user=person("fkpm"))


@pytest.fixture
def other_forum() -> Forum:
    """A forum in Buleleng outside Tejakula: kapolres sees it, kapolsek and bhabin do not."""
    return Forum.objects.filter(prefix_q("village_id", ["51.08.08"])).order_by("pk").first()


def last_week() -> dt.datetime:
    return (timezone.now() - dt.timedelta(days=7)).replace(microsecond=0)


@pytest.fixture
def held_meeting(les_forum: Forum) -> Meeting:
    meeting, _ = meeting_create(actor=person("fkpm"), forum=les_forum, held_at=last_week(),
                                agenda="Keamanan pantai dan parkir pasar", place="Balai Banjar",
                                status="held")
    return meeting
