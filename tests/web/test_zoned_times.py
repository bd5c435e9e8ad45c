"""Every time an officer reads is in the village's zone, labelled (issue 15, item 2): the same
meeting reads the same on /kerja/ and on its own page; reports, cases and their history too."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cases.helpers import LES, open_case, report
from conftest import person
from polmas.forums.models import Forum
from polmas.forums.services import meeting_create
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db


def tomorrow_at_utc(hour: int) -> dt.datetime:
    day = timezone.now().date() + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def test_desa_les_is_in_wita():
    assert Region.objects.get(code=LES).utc_offset == 8


def test_a_meeting_reads_the_same_time_on_the_queue_and_on_its_page(login):
    forum = Forum.objects.get(members__user=person("fkpm"))
    meeting, _ = meeting_create(actor=person("fkpm"), forum=forum, agenda="Ronda malam",
                                held_at=tomorrow_at_utc(11), status="planned")
    client: Client = login("fkpm")

    queue = client.get("/kerja/").content.decode()
    own = client.get(f"/forum/rapat/{meeting.pk}/").content.decode()

    assert "19:00 WITA" in own
    assert "19:00 WITA" in queue  # Jakarta's clock said 18:00, unlabelled
    assert "18:00" not in queue


def test_new_reports_on_the_officers_queue_show_the_villages_zone(login):
    r = report()
    local = r.created_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    queue = login("bhabin").get("/kerja/").content.decode()
    assert f"{local:%H:%M} WITA" in queue


def test_a_cases_dates_and_history_are_in_the_villages_zone(login):
    case = open_case()
    local = case.opened_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    page = login("bhabin").get(f"/kasus/{case.pk}/").content.decode()
    assert page.count(f"{local:%H:%M} WITA") >= 2  # opened, and the history's first line
