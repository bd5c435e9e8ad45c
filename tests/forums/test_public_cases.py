"""The forum's public page keeps the close form's promise (issue 15, item 11): a case opened from
residents' reports shows there while handled (saying what is under way) and, once closed, with
its public summary; sensitive cases never do; the tracking page and the forum list link to it."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from cases.helpers import report, walk
from conftest import person
from polmas.cases import services
from polmas.forums.models import PublishedCase
from polmas.forums.selectors import public_forum_of_village
from polmas.forums.services import meeting_issue_add
from polmas.reports.intake import ReportInput, report_submit

from .conftest import LES

pytestmark = pytest.mark.django_db
SUMMARY = "Jadwal giliran air disepakati; saluran diperbaiki bersama warga."


def case_from_report(text: str = "Saluran air di banjar kami tersumbat, warga cekcok tiap hari.",
                     category: str = "neighbour_dispute", **kw):
    made = report(category=category, description=text, **kw)
    return services.case_open(actor=person("bhabin"), source="report", report_ids=[made.pk],
                              statement="Sengketa saluran air antar tetangga.")


def public_page(client: Client, forum_id: int) -> str:
    with translation.override("en"):
        return client.get(f"/forum/{forum_id}/kami-bertindak/", headers={"Accept-Language": "en"}
                          ).content.decode()


def test_the_village_forum_is_the_fkpm_members_forum(les_forum):
    assert public_forum_of_village(village_code=LES) == les_forum


def test_a_closed_case_from_a_report_shows_its_public_summary(client: Client, les_forum):
    case = walk(case_from_report(), "assessment")
    services.case_close(actor=person("bhabin"), case_id=case.pk, version=case.version,
                        public_summary=SUMMARY)
    page = public_page(client, les_forum.pk)
    assert "Saluran air di banjar kami tersumbat" in page  # what the resident reported
    assert SUMMARY in page
    assert 'data-count="resolved">1<' in page


def test_a_case_in_progress_says_what_is_under_way(client: Client, les_forum):
    case = case_from_report()
    page = public_page(client, les_forum.pk)
    assert "Saluran air di banjar kami tersumbat" in page
    assert "Not yet reported" not in page and "looked into" in page
    walk(case, "response")
    page = public_page(client, les_forum.pk)
    assert "response is under way" in page and "Not yet reported" not in page
    assert 'data-count="in_progress">1<' in page


def test_a_meeting_issue_in_progress_names_its_cases_stage(client: Client, held_meeting, les_forum):
    issue = meeting_issue_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                              category_code="noise", text="Musik keras tiap malam di warung.")
    case = services.case_open(actor=person("fkpm"), source="meeting", meeting_issue_id=issue.pk)
    walk(case, "analysis")
    page = public_page(client, les_forum.pk)
    assert "Musik keras tiap malam" in page
    assert "Not yet reported" not in page and "causes are being analysed" in page


def test_a_sensitive_case_never_shows(client: Client, les_forum):
    case = case_from_report(text="Suami memukul istri tiap malam.", category="domestic_violence")
    assert case.sensitive
    assert not PublishedCase.objects.filter(case_id=case.pk).exists()
    page = public_page(client, les_forum.pk)
    assert "memukul" not in page and 'data-count="in_progress">0<' in page


def test_a_report_telling_of_a_sensitive_matter_shows_no_words(client: Client, les_forum):
    case_from_report(text="Ribut tetangga, istrinya dipukul suami sampai berdarah.", category="fight")
    page = public_page(client, les_forum.pk)
    assert "dipukul" not in page and "berdarah" not in page


def test_the_reporters_name_and_phone_are_scrubbed(client: Client, les_forum):
    case_from_report(text="Saluran tersumbat. Hubungi saya Komang Suarta di 081234567890.",
                     name="Komang Suarta", phone="081234567890", anonymous=False)
    page = public_page(client, les_forum.pk)
    assert "Saluran tersumbat" in page
    assert "Suarta" not in page and "081234567890" not in page


def test_the_tracking_page_links_to_the_village_forums_public_page(client: Client, les_forum):
    submitted = report_submit(ReportInput(category="noise", description="Musik keras tiap malam.",
                                          channel="web", village=LES))
    page = client.post("/lapor/status/", {"code": submitted.tracking_code}).content.decode()
    assert f'href="/forum/{les_forum.pk}/kami-bertindak/"' in page
    sealed = report_submit(ReportInput(category="domestic_violence", description="Dipukul suami.",
                                       channel="web", village=LES))
    page = client.post("/lapor/status/", {"code": sealed.tracking_code}).content.decode()
    assert "kami-bertindak" not in page


def test_the_forum_list_links_each_public_page(client: Client, les_forum):
    client.force_login(person("fkpm"))
    page = client.get("/forum/").content.decode()
    assert f'href="/forum/{les_forum.pk}/kami-bertindak/"' in page


def test_the_command_publishes_cases_closed_before_the_upgrade(client: Client, les_forum):

    case = walk(case_from_report(), "closed")
    PublishedCase.objects.all().delete()  # as before this change: nothing was published
    call_command("cases_publish", stdout=io.StringIO())
    call_command("cases_publish", stdout=io.StringIO())  # again: nothing doubled
    assert list(PublishedCase.objects.values_list("case_id", "outcome_status")) == [(case.pk, "resolved")]
    assert "Saluran air di banjar kami tersumbat" in public_page(client, les_forum.pk)
