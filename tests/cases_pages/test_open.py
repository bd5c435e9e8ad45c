"""Opening a case: from a report in the inbox, from an early detection, and from an issue
raised at an FKPM meeting in one step (a second click makes no second case)."""

import uuid

import pytest

from cases.helpers import LES, report
from cases_pages.conftest import body
from polmas.cases.models import Case, CaseReport
from polmas.forums.models import MeetingIssue
from polmas.forums.services import meeting_issue_add
from polmas.reports.models import Report

pytestmark = pytest.mark.django_db


def test_a_case_opens_from_a_report_with_its_text_filled_in(login):
    client = login("bhabin")
    r = report(description="Pencurian ayam tiga kali minggu ini.", category="theft")

    form = body(client.get(f"/kasus/baru/?report={r.pk}"))
    assert f"Open a case from report #{r.pk}" in form
    assert "Pencurian ayam tiga kali minggu ini.</textarea>" in form
    assert f'<option value="{LES}" selected>' in form

    posted = client.post("/kasus/baru/", {"report": r.pk, "village": LES, "category": "theft",
                                          "statement": "Pencurian ayam berulang.",
                                          "client_uuid": uuid.uuid4()})

    case = Case.objects.get()
    assert posted.status_code == 302 and posted["Location"] == f"/kasus/{case.pk}/"
    assert (case.source, case.stage, case.village_id) == ("report", "scanning", LES)
    assert list(CaseReport.objects.filter(case=case).values_list("report_id", flat=True)) == [r.pk]
    assert Report.objects.get(pk=r.pk).status == "in_progress"


def test_a_case_opens_from_an_early_detection_and_needs_the_incidents(login):
    client = login("bhabin")
    data = {"village": LES, "category": "theft", "statement": "Motor hilang di parkiran pura."}

    refused = client.post("/kasus/baru/", data)
    assert refused.status_code == 400 and 'id="field-id_incidents_note"' in body(refused)
    assert "This is required." in body(refused) and not Case.objects.exists()

    client.post("/kasus/baru/", {**data, "incidents_note": "Dua motor bulan ini."})
    assert Case.objects.get().source == "detection"


def test_a_report_outside_scope_cannot_start_a_case(login):
    r = report(village="51.08.08.2001")

    assert login("bhabin").get(f"/kasus/baru/?report={r.pk}").status_code == 404
    assert login("kapolsek_depok").get(f"/kasus/baru/?report={r.pk}").status_code == 404


def test_a_forum_member_cannot_open_the_detection_form(login):
    assert login("fkpm").get("/kasus/baru/").status_code == 404


# --- from a meeting issue -------------------------------------------------------------------

@pytest.mark.parametrize("who", ["fkpm", "bhabin"])
def test_an_issue_becomes_one_case_in_one_step(login, issue, who):
    client = login(who)

    confirm = body(client.get(f"/kasus/dari-rapat/{issue.pk}/"))
    assert "Parkir liar menutup jalan ke pura." in confirm
    assert f'action="/kasus/dari-rapat/{issue.pk}/"' in confirm

    first = client.post(f"/kasus/dari-rapat/{issue.pk}/", {"client_uuid": str(uuid.uuid4())})
    case = Case.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/kasus/{case.pk}/"
    assert (case.source, case.statement, case.village_id) == ("meeting", issue.text, LES)
    issue.refresh_from_db()
    assert (issue.case_id, issue.outcome_status) == (case.pk, "in_progress")

    second = client.post(f"/kasus/dari-rapat/{issue.pk}/", {"client_uuid": str(uuid.uuid4())})
    again = client.get(f"/kasus/dari-rapat/{issue.pk}/")
    assert second.status_code == 302 and second["Location"] == f"/kasus/{case.pk}/"
    assert again.status_code == 302 and again["Location"] == f"/kasus/{case.pk}/"
    assert Case.objects.count() == 1


def test_a_resent_click_returns_the_same_case(login, issue):
    client = login("bhabin")
    uid = str(uuid.uuid4())

    client.post(f"/kasus/dari-rapat/{issue.pk}/", {"client_uuid": uid})
    client.post(f"/kasus/dari-rapat/{issue.pk}/", {"client_uuid": uid})

    assert Case.objects.count() == 1


def test_the_meeting_page_links_to_the_one_step(login, issue):
    page = body(login("fkpm").get(f"/forum/rapat/{issue.meeting_id}/"))

    # One button on the meeting page posts straight to the cases app: one click, one case.
    assert f'<form method="post" action="/kasus/dari-rapat/{issue.pk}/" class="make-case">' in page
    login("fkpm").post(f"/kasus/dari-rapat/{issue.pk}/", {"client_uuid": str(uuid.uuid4())})
    issue.refresh_from_db()
    assert Case.objects.filter(pk=issue.case_id, source="meeting").count() == 1


@pytest.mark.parametrize("who", ["kapolsek_depok", "warga", "mitra"])
def test_people_outside_the_forum_get_404_and_no_case(login, issue, who):
    client = login(who)

    assert client.get(f"/kasus/dari-rapat/{issue.pk}/").status_code == 404
    assert client.post(f"/kasus/dari-rapat/{issue.pk}/", {}).status_code == 404
    assert not Case.objects.exists()
    assert MeetingIssue.objects.get(pk=issue.pk).case_id is None


def test_a_sensitive_issue_opened_by_the_forum_lands_back_on_the_meeting(login, issue):
    sensitive = meeting_issue_add(actor=None, meeting_id=issue.meeting_id, version=None,
                                  text="Dugaan KDRT di rumah tetangga.", category_code="domestic_violence")
    client = login("fkpm")

    confirm = body(client.get(f"/kasus/dari-rapat/{sensitive.pk}/"))
    assert "Dugaan KDRT" not in confirm and "A sensitive matter is being handled." in confirm
    r = client.post(f"/kasus/dari-rapat/{sensitive.pk}/", {})

    case = Case.objects.get()
    assert case.sensitive and case.assigned_officer.user.username == "bhabin"
    assert r.status_code == 302 and r["Location"] == f"/forum/rapat/{issue.meeting_id}/#issue-{sensitive.pk}"
    assert login("bhabin").get(f"/kasus/{case.pk}/").status_code == 200
