"""Fixtures of the case page tests: the named people come from tests/conftest.py, the quick
ways to open and walk a case from tests/cases/helpers.py."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cases.conftest import dv_case, officer2  # noqa: F401
from conftest import person
from polmas.forums.models import Forum, MeetingIssue
from polmas.forums.services import meeting_create, meeting_issue_add


@pytest.fixture(autouse=True)
def english(client):
    """The pages speak Indonesian by default; the new strings wait for their translations in
    locale-pending/, so the content is checked in English (the Indonesian default is checked
    on the markup)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def issue() -> MeetingIssue:
    """A non-sensitive issue raised at a held meeting of the fkpm's forum in Desa Les."""
    forum = Forum.objects.get(members__user=person("fkpm"))
    meeting, _ = meeting_create(actor=person("fkpm"), forum=forum, agenda="Keamanan pantai",
                                held_at=timezone.now() - dt.timedelta(days=2), status="held")
    return meeting_issue_add(actor=person("fkpm"), meeting_id=meeting.pk, version=None,
                             text="Parkir liar menutup jalan ke pura.", category_code="traffic")


def body(response) -> str:
    return response.content.decode()


__all__ = ["User", "body"]
