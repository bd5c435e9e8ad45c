"""Meeting pages and the public "you said, we did" page: content, scope, errors, no leaks."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from conftest import OUTSIDER, person
from polmas.forums.models import Meeting
from polmas.forums.services import (
    meeting_action_add,
    meeting_create,
    meeting_issue_add,
    meeting_issue_link_case,
    meeting_issue_outcome_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client: Client):
    def _as(username: str | None) -> Client:
        client.cookies.load({"django_language": "en"})
        if username:
            client.force_login(person(username))
        return client

    return _as


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def full_meeting(held_meeting):
    actor = person("fkpm")
    meeting_action_add(actor=actor, meeting_id=held_meeting.pk, version=1,
                       description="Pasang lampu di gang pantai", owner_name="Kelian Banjar Dinas",
                       due_on=timezone.localdate() - dt.timedelta(days=1))
    plain = meeting_issue_add(actor=actor, meeting_id=held_meeting.pk, version=2,
                              text="Balap liar di jalan pantai", category_code="traffic",
                              raised_by="Made Wirawan")
    hidden = meeting_issue_add(actor=actor, meeting_id=held_meeting.pk, version=3,
                               text="Seorang ibu dipukul suaminya", category_code="domestic_violence",
                               raised_by="Luh Sekar")
    meeting_issue_outcome_set(issue_id=plain.pk, status="resolved",
                              outcome_public="Patroli malam Minggu dan polisi tidur dipasang.")
    meeting_issue_link_case(issue_id=hidden.pk, case_id=77)
    held_meeting.refresh_from_db()
    return held_meeting


# --- the meeting pages -----------------------------------------------------------------------

def test_the_fkpm_member_sees_everything_recorded_in_indonesian(client, full_meeting, les_forum):
    client.force_login(person("fkpm"))
    page = text_of(client.get(f"/forum/rapat/{full_meeting.pk}/"))

    assert '<html lang="id">' in page  # Indonesian by default (texts once locale-pending is merged)
    assert "Keamanan pantai dan parkir pasar" in page
    assert "Pasang lampu di gang pantai" in page and "Kelian Banjar Dinas" in page
    assert "Balap liar di jalan pantai" in page and "Made Wirawan" in page
    # the forum learns only that a sensitive matter is being handled
    assert "dipukul" not in page and "Luh Sekar" not in page


def test_english_page_lists_sections_and_forms(as_user, full_meeting):
    response = as_user("bhabin").get(f"/forum/rapat/{full_meeting.pk}/")
    page = text_of(response)
    for heading in ("Agenda", "Attendance", "Minutes", "Decisions", "Action items",
                    "Issues raised by residents"):
        assert f">{heading}</h2>" in page
    assert "overdue" in page  # the action was due yesterday
    assert "Seorang ibu dipukul suaminya" in page and "Luh Sekar" in page  # the officer handles it
    assert 'name="issue-version" value="4"' in page
    assert "Tracked as case #77" in page


def test_make_it_a_case_is_one_button_posting_to_the_cases_app(as_user, full_meeting):
    page = text_of(as_user("bhabin").get(f"/forum/rapat/{full_meeting.pk}/"))
    plain = full_meeting.issues.get(case_id__isnull=True)
    assert f'action="/kasus/dari-rapat/{plain.pk}/" class="make-case"' in page
    assert page.count("Make it a case") == 1  # the other issue is already a case



def test_the_forum_list_and_meeting_list(as_user, full_meeting, les_forum):
    client = as_user("fkpm")
    index = text_of(client.get("/forum/"))
    assert les_forum.name in index and f"/forum/{les_forum.pk}/rapat/" in index
    assert "1 meeting" in index
    listing = text_of(client.get(f"/forum/{les_forum.pk}/rapat/"))
    assert f"/forum/rapat/{full_meeting.pk}/" in listing
    assert "2 issues raised" in listing and "New meeting" in listing


@pytest.mark.parametrize("username", [OUTSIDER, "warga", "mitra"])
def test_outsiders_get_404_everywhere(as_user, full_meeting, les_forum, username):
    client = as_user(username)
    assert client.get(f"/forum/rapat/{full_meeting.pk}/").status_code == 404
    assert client.get(f"/forum/{les_forum.pk}/rapat/").status_code == 404
    assert client.get(f"/forum/{les_forum.pk}/rapat/baru/").status_code == 404
    response = client.post(f"/forum/rapat/{full_meeting.pk}/keputusan/",
                           {"decision-version": 5, "decision-text": "x"})
    assert response.status_code == 404
    assert not full_meeting.decisions.exists()
    index = client.get("/forum/")
    if username == OUTSIDER:  # a supervisor elsewhere: their own forums, not this one
        assert index.status_code == 200 and f"/forum/{les_forum.pk}/rapat/" not in text_of(index)
        assert "34.04.07." in text_of(index)
    else:
        assert index.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, full_meeting):
    response = client.get(f"/forum/rapat/{full_meeting.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_reader_who_may_not_write_sees_no_forms_and_is_refused(as_user, full_meeting):
    client = as_user("ppa")
    page = text_of(client.get(f"/forum/rapat/{full_meeting.pk}/"))
    assert "Balap liar di jalan pantai" in page and "<form method=\"post\" action=\"/forum" not in page
    response = client.post(f"/forum/rapat/{full_meeting.pk}/keputusan/",
                           {"decision-version": 5, "decision-text": "x"})
    assert response.status_code == 403 and not full_meeting.decisions.exists()


# --- writing through the pages ---------------------------------------------------------------

def test_new_meeting_form_records_once_even_if_sent_twice(as_user, les_forum):
    client = as_user("fkpm")
    form = client.get(f"/forum/{les_forum.pk}/rapat/baru/")
    key = re.search(r'name="client_uuid" value="([0-9a-f-]+)"', form.content.decode()).group(1)
    data = {"date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(), "time": "19:30",
            "place": "Balai Banjar Les", "agenda": "Sampah di pantai", "status": "held", "client_uuid": key}
    first = client.post(f"/forum/{les_forum.pk}/rapat/baru/", data)
    second = client.post(f"/forum/{les_forum.pk}/rapat/baru/", data)

    meeting = Meeting.objects.get(forum=les_forum)
    assert first["Location"] == second["Location"] == f"/forum/rapat/{meeting.pk}/"
    assert meeting.held_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%H:%M") == "19:30"
    page = text_of(client.get(first["Location"]))
    assert "19:30 WITA" in page and "Sampah di pantai" in page


def test_new_meeting_form_errors_name_the_field(as_user, les_forum):
    client = as_user("fkpm")
    response = client.post(f"/forum/{les_forum.pk}/rapat/baru/",
                           {"date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
                            "time": "19:00", "agenda": "Rapat", "status": "held"})
    assert response.status_code == 400
    assert "cannot have been held yet" in text_of(response)
    response = client.post(f"/forum/{les_forum.pk}/rapat/baru/", {"date": "", "time": "", "agenda": ""})
    assert response.status_code == 400 and text_of(response).count("This field is required") >= 3
    assert not Meeting.objects.filter(forum=les_forum).exists()


def test_recording_attendance_decisions_actions_and_issues(as_user, held_meeting, les_forum):
    client, path = as_user("fkpm"), f"/forum/rapat/{held_meeting.pk}"
    members = list(les_forum.members.filter(active=True).order_by("name"))
    response = client.post(f"{path}/kehadiran/", {
        "attendance-version": 1, "attendance-present": [members[0].pk, members[1].pk],
        "attendance-others_men": 5, "attendance-others_women": 8, "attendance-others_unspecified": 0})
    assert response.status_code == 302 and response["Location"].endswith("#attendance")
    client.post(f"{path}/keputusan/", {"decision-version": 2, "decision-text": "Ronda dihidupkan lagi"})
    client.post(f"{path}/tindakan/", {"action-version": 3, "action-description": "Bersihkan pos ronda",
                                      "action-owner_name": "Pemuda Banjar"})
    client.post(f"{path}/masalah/", {"issue-version": 4, "issue-text": "Anjing liar menggigit anak",
                                     "issue-category_code": "other"})
    page = text_of(client.get(f"{path}/"))

    assert f"Members present:</strong> {members[0].name}, {members[1].name}</p>" in page
    assert "5 men, 8 women, 0 not recorded" in page
    assert "Ronda dihidupkan lagi" in page and "Bersihkan pos ronda" in page
    assert "Anjing liar menggigit anak" in page
    held_meeting.refresh_from_db()
    assert held_meeting.version == 5


def test_an_action_without_owner_is_shown_back_with_the_reason(as_user, held_meeting):
    response = as_user("fkpm").post(f"/forum/rapat/{held_meeting.pk}/tindakan/", {
        "action-version": 1, "action-description": "Perbaiki lampu", "action-owner_name": "  "})
    assert response.status_code == 400
    page = text_of(response)
    assert "Every action needs an owner." in page and "Perbaiki lampu" in page
    assert not held_meeting.action_items.exists()


def test_a_stale_form_is_409_keeps_the_entry_and_overwrites_nothing(as_user, held_meeting):
    client, path = as_user("fkpm"), f"/forum/rapat/{held_meeting.pk}"
    client.post(f"{path}/ubah/", {"edit-version": 1, "edit-date": "2025-03-05", "edit-time": "19:00",
                                  "edit-agenda": "Rapat", "edit-minutes": "Notulen pertama"})
    response = client.post(f"{path}/ubah/", {"edit-version": 1, "edit-date": "2025-03-05",
                                              "edit-time": "19:00", "edit-agenda": "Rapat",
                                              "edit-minutes": "Notulen basi"})
    assert response.status_code == 409
    page = text_of(response)
    assert "changed by someone else" in page and "Notulen basi" in page
    assert 'name="edit-version" value="2"' in page  # a resubmit now goes to the latest version
    held_meeting.refresh_from_db()
    assert (held_meeting.minutes, held_meeting.version) == ("Notulen pertama", 2)


def test_mark_held_button(as_user, les_forum):
    meeting, _ = meeting_create(actor=None, forum=les_forum, agenda="Rapat",
                                held_at=timezone.now() - dt.timedelta(hours=2))
    client = as_user("kapolsek")
    assert "Mark as held" in text_of(client.get(f"/forum/rapat/{meeting.pk}/"))
    client.post(f"/forum/rapat/{meeting.pk}/terlaksana/", {"held-version": 1})
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert "Mark as held" not in text_of(client.get(f"/forum/rapat/{meeting.pk}/"))


# --- the public page -------------------------------------------------------------------------

def test_the_public_page_shows_outcomes_without_login(client, full_meeting, les_forum):
    client.cookies.load({"django_language": "en"})
    page = text_of(client.get(f"/forum/{les_forum.pk}/kami-bertindak/"))

    assert "We heard, we acted" in page and les_forum.name in page
    assert "Balap liar di jalan pantai" in page
    assert "Patroli malam Minggu dan polisi tidur dipasang." in page
    assert "A sensitive matter is being handled." in page
    assert '<span class="value" data-count="resolved">1</span>' in page
    wita = full_meeting.held_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert f"1 meeting held since {wita:%-d %B %Y}." in page


def test_the_public_page_never_leaks_sensitive_text_or_names(client, full_meeting, les_forum):
    page = text_of(client.get(f"/forum/{les_forum.pk}/kami-bertindak/"))
    assert '<html lang="id">' in page
    for secret in ("dipukul", "Luh Sekar", "Made Wirawan", "Kelian Banjar Dinas", "Kekerasan dalam rumah"):
        assert secret not in page
    for member in les_forum.members.values_list("name", flat=True):
        assert member not in page


def test_the_public_page_leaves_out_planned_meetings_and_unknown_forums(client, les_forum):
    planned, _ = meeting_create(actor=None, forum=les_forum, agenda="Rapat",
                                held_at=timezone.now() + dt.timedelta(days=3))
    meeting_issue_add(actor=None, meeting_id=planned.pk, version=1, text="Belum dibahas")
    assert "Belum dibahas" not in text_of(client.get(f"/forum/{les_forum.pk}/kami-bertindak/"))
    assert client.get("/forum/999999999/kami-bertindak/").status_code == 404
