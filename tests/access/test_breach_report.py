"""`polmas breach_report`: who read or exported what, and whose data, in a time window."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from conftest import person
from polmas.access.audit import audit_record
from polmas.access.models import AuditEntry

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def plant(at: dt.datetime, actor: str | None, action: str, object_type: str, object_id: str,
          region: str, reason: str = "") -> AuditEntry:
    entry = audit_record(actor=person(actor) if actor else None, action=action, object_type=object_type,
                         object_id=object_id, region_code=region, reason=reason)
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


@pytest.fixture
def planted() -> None:
    h = dt.timedelta(hours=1)
    plant(T0 + h, "bhabin", "report.read_identity", "reports.report", "101", "51.08.09.2007")
    plant(T0 + 2 * h, "bhabin", "report.read_identity", "reports.report", "102", "51.08.09.2007")
    plant(T0 + 3 * h, "kapolres", "report.read_sealed", "reports.report", "103", "51.08.01.2001", "KDRT")
    plant(T0 + 4 * h, "kapolda", "analytics.export", "analytics.board", "51", "51")
    plant(T0 + 5 * h, "admin", "analytics.export", "analytics.board", "ID", "")
    plant(T0 + 6 * h, "kapolsek_depok", "forum.read_members", "forums.forum", "7", "34.04.07.2001")
    plant(T0 + 7 * h, "bhabin", "report.status", "reports.report", "101", "51.08.09.2007")  # a write
    plant(T0 - h, "bhabin", "report.read_identity", "reports.report", "99", "51.08.09.2007")  # before
    plant(T0 + 30 * h, "bhabin", "report.read_identity", "reports.report", "98", "51.08.09.2007")  # after


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("breach_report", *args, stdout=out)
    return out.getvalue()


WINDOW = ["--since", "2026-12-01T00:00+00:00", "--until", "2026-12-02T00:00+00:00"]


def test_the_csv_lists_every_read_and_export_in_the_window_and_nothing_else(planted):
    rows = list(csv.DictReader(io.StringIO(run(*WINDOW))))
    assert [(r["actor"], r["action"], r["object_id"]) for r in rows] == [
        ("bhabin", "report.read_identity", "101"), ("bhabin", "report.read_identity", "102"),
        ("kapolres", "report.read_sealed", "103"), ("kapolda", "analytics.export", "51"),
        ("admin", "analytics.export", "ID"), ("kapolsek_depok", "forum.read_members", "7")]
    assert rows[2]["reason"] == "KDRT" and rows[0]["region_code"] == "51.08.09.2007"


def test_the_json_names_the_actors_and_the_data_subjects(planted):
    document = json.loads(run(*WINDOW, "--format", "json"))
    actors = {a["actor"]: a for a in document["actors"]}
    assert set(actors) == {"bhabin", "kapolres", "kapolda", "admin", "kapolsek_depok"}
    assert actors["bhabin"]["accesses"] == 2
    assert actors["bhabin"]["actions"] == {"report.read_identity": 2}
    subjects = {(s["object_type"], s["object_id"]) for s in document["subjects"]}
    assert ("reports.report", "101") in subjects and ("forums.forum", "7") in subjects
    assert ("reports.report", "99") not in subjects and len(subjects) == 6


def test_a_region_keeps_its_records_and_the_downloads_that_cover_it(planted):
    rows = list(csv.DictReader(io.StringIO(run(*WINDOW, "--region", "51.08"))))
    assert [r["object_id"] for r in rows] == ["101", "102", "103", "51", "ID"]
    rows = list(csv.DictReader(io.StringIO(run(*WINDOW, "--region", "34"))))
    assert [r["object_id"] for r in rows] == ["ID", "7"]


def test_writes_are_listed_on_request(planted):
    rows = list(csv.DictReader(io.StringIO(run(*WINDOW, "--all"))))
    assert ("report.status", "101") in [(r["action"], r["object_id"]) for r in rows]


@pytest.mark.parametrize("args, option", [
    (["--since", "yesterday"], "--since"),
    (["--since", "2026-12-02T00:00", "--until", "2026-12-01T00:00"], "--until"),
    (["--since", "2026-12-01T00:00", "--region", "51.8"], "--region"),
])
def test_bad_options_are_refused_naming_them(args, option):
    with pytest.raises(CommandError, match=option):
        run(*args)
