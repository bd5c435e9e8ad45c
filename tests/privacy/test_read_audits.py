"""Reads of personal data are audited (UU 27/2022): a reporter's identity shown on a report
that is not sealed, a forum's member list, a dashboard table downloaded."""

import pytest
from django.utils import timezone

from cases.helpers import mediate, open_case, walk
from conftest import person
from polmas.access.models import AuditEntry
from polmas.forums.models import Forum, Meeting
from reports.helpers import LES, PHONE, submit

pytestmark = pytest.mark.django_db
YEAR = 2025


def entries(action: str, **kw: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, **kw))


def test_an_officer_shown_the_reporter_through_the_api_is_audited(api):
    report = submit(anonymous=False, name="Siti", phone=PHONE, reply_channel="sms").report
    response = api("bhabin").get(f"/api/v1/reports/{report.pk}")
    assert response.status_code == 200 and response.json()["reporter"]["phone"] == PHONE
    [entry] = entries("report.read_identity", object_id=str(report.pk))
    assert (entry.actor_name, entry.object_type, entry.region_code) == ("bhabin", "reports.report", LES)
    assert entry.detail == {"via": "api"}


def test_no_identity_shown_no_identity_read_recorded(api):
    anonymous = submit().report
    named = submit(anonymous=False, name="Siti", phone=PHONE).report
    assert api("bhabin").get(f"/api/v1/reports/{anonymous.pk}").status_code == 200
    # A forum member reads the report, but never its reporter.
    response = api("fkpm").get(f"/api/v1/reports/{named.pk}")
    assert response.status_code == 200 and response.json()["reporter"] is None
    assert entries("report.read_identity") == []


def test_the_back_office_page_of_a_report_with_a_reporter_is_audited(client):
    report = submit(anonymous=False, name="Siti", phone=PHONE).report
    client.force_login(person("admin"))
    assert client.get(f"/admin/reports/report/{report.pk}/change/").status_code == 200
    [entry] = entries("report.read_identity", object_id=str(report.pk))
    assert entry.actor_name == "admin" and entry.detail == {"via": "admin"}


def les_forum() -> Forum:
    return Forum.objects.get(members__user=person("fkpm"))


def test_a_forum_member_list_read_through_the_api_is_audited(api):
    forum = les_forum()
    response = api("kapolsek").get(f"/api/v1/forums/{forum.pk}")
    assert response.status_code == 200 and response.json()["members"]
    [entry] = entries("forum.read_members", object_id=str(forum.pk))
    assert (entry.actor_name, entry.object_type, entry.region_code) == ("kapolsek", "forums.forum", LES)


def test_a_forum_outside_scope_is_not_read_and_not_recorded(api):
    forum = les_forum()
    assert api("kapolsek_depok").get(f"/api/v1/forums/{forum.pk}").status_code == 404
    assert entries("forum.read_members") == []


def test_the_member_list_on_a_meeting_page_and_the_home_page_is_audited(login):
    forum = les_forum()
    meeting = Meeting.objects.create(forum=forum, village_id=LES, held_at=timezone.now(), agenda="Ronda")
    client = login("fkpm")
    assert client.get(f"/forum/rapat/{meeting.pk}/").status_code == 200
    assert client.get("/").status_code == 200
    found = entries("forum.read_members", object_id=str(forum.pk), actor_name="fkpm")
    assert sorted(e.detail.get("via", "") for e in found) == ["", "meeting page"]


def test_the_forum_page_of_the_back_office_is_audited(client):
    forum = les_forum()
    client.force_login(person("admin"))
    assert client.get(f"/admin/forums/forum/{forum.pk}/change/").status_code == 200
    [entry] = entries("forum.read_members", object_id=str(forum.pk))
    assert entry.detail == {"via": "admin"}


def test_a_dashboard_download_is_audited(login):
    response = login("kapolda").get("/dashboard/51/export/children.xlsx", {"year": YEAR})
    assert response.status_code == 200
    [entry] = entries("analytics.export")
    assert (entry.actor_name, entry.object_id, entry.region_code) == ("kapolda", "51", "51")
    assert entry.detail["table"] == "children" and entry.detail["format"] == "xlsx"
    assert entry.detail["rows"] > 0


def test_a_refused_download_is_not_recorded(login):
    assert login("kapolsek").get("/dashboard/34/export/children.csv", {"year": YEAR}).status_code == 404
    assert entries("analytics.export") == []


def test_a_mediation_agreement_downloaded_is_audited(login):
    case = walk(open_case(), "response")
    m = mediate(case)
    response = login("bhabin").get(f"/kasus/{case.pk}/kesepakatan/{m.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    [entry] = entries("case.export_agreement", object_id=str(case.pk))
    assert (entry.actor_name, entry.region_code, entry.detail) == ("bhabin", LES, {"mediation": m.pk})
