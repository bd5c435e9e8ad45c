"""The meetings API as each role: reads in scope, 404 outside it, versioned writes, resends."""

import uuid

import pytest
from django.test import Client

from api.conftest import all_items, assert_error
from conftest import OUTSIDER, person
from forums.conftest import last_week
from polmas.access.tokens import token_issue
from polmas.forums.models import Meeting
from polmas.forums.services import meeting_issue_add

pytestmark = pytest.mark.django_db
API = "/api/v1/forums"


class Caller:
    def __init__(self, client: Client, username: str | None) -> None:
        self.client = client
        self.headers = {"Accept-Language": "en"}
        if username:
            self.headers["Authorization"] = f"Bearer {token_issue(user=person(username), name='t')}"

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: object):
        return self.client.post(path, data, content_type="application/json", headers=self.headers)


@pytest.fixture
def as_(client):
    return lambda username: Caller(client, username)


def new_meeting(**extra) -> dict:
    return {"held_at": last_week().isoformat(), "agenda": "Rapat rutin bulanan", **extra}


# --- reading ---------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["fkpm", "bhabin", "kapolsek", "kapolres"])
def test_the_forum_and_its_police_read_its_meetings(as_, held_meeting, les_forum, username):
    caller = as_(username)
    items = all_items(caller, f"{API}/{les_forum.pk}/meetings")
    assert [i["id"] for i in items] == [held_meeting.pk]
    assert items[0]["region_code"] == les_forum.village_id and items[0]["version"] == 1
    assert held_meeting.pk in [i["id"] for i in all_items(caller, f"{API}/meetings")]

    body = caller.get(f"{API}/meetings/{held_meeting.pk}").json()
    assert (body["agenda"], body["status"], body["forum_name"]) == (
        "Keamanan pantai dan parkir pasar", "held", les_forum.name)


@pytest.mark.parametrize("username", [OUTSIDER, "warga", "mitra"])
def test_outsiders_and_residents_get_404(as_, held_meeting, les_forum, username):
    caller = as_(username)
    assert_error(caller.get(f"{API}/meetings/{held_meeting.pk}"), 404)
    assert_error(caller.get(f"{API}/{les_forum.pk}/meetings"), 404)
    assert held_meeting.pk not in [i["id"] for i in all_items(caller, f"{API}/meetings")]
    assert_error(caller.post(f"{API}/{les_forum.pk}/meetings", new_meeting()), 404)
    assert_error(caller.post(f"{API}/meetings/{held_meeting.pk}/decisions",
                             {"version": 1, "text": "x"}), 404)
    assert Meeting.objects.get(pk=held_meeting.pk).version == 1


def test_no_token_is_401(as_, held_meeting):
    assert_error(as_(None).get(f"{API}/meetings/{held_meeting.pk}"), 401)


def test_the_kapolsek_does_not_see_meetings_of_another_district(as_, other_forum):
    from polmas.forums.services import meeting_create

    meeting, _ = meeting_create(actor=None, forum=other_forum, held_at=last_week(), agenda="Rapat")
    assert_error(as_("kapolsek").get(f"{API}/meetings/{meeting.pk}"), 404)
    assert as_("kapolres").get(f"{API}/meetings/{meeting.pk}").status_code == 200


# --- writing ---------------------------------------------------------------------------------

def test_fkpm_records_a_whole_meeting(as_, les_forum):
    caller, key = as_("fkpm"), str(uuid.uuid4())
    response = caller.post(f"{API}/{les_forum.pk}/meetings", new_meeting(client_uuid=key, status="held"))
    assert response.status_code == 201, response.content
    meeting = response.json()
    path = f"{API}/meetings/{meeting['id']}"

    members = list(les_forum.members.filter(active=True).order_by("name"))
    body = caller.post(f"{path}/attendance", {"version": 1, "present": [members[0].pk],
                                              "others_men": 7, "others_women": 11}).json()
    assert {a["name"]: a["present"] for a in body["attendance"]} == {
        m.name: m == members[0] for m in members}
    assert (body["others_men"], body["others_women"], body["version"]) == (7, 11, 2)

    body = caller.post(path, {"version": 2, "minutes": "Warga mengeluhkan balap liar."}).json()
    body = caller.post(f"{path}/decisions", {"version": 3, "text": "Ronda malam diaktifkan"}).json()
    body = caller.post(f"{path}/actions", {"version": 4, "description": "Pasang lampu di gang",
                                           "owner_name": "Kelian Banjar", "due_on": "2030-01-31"}).json()
    action_id = body["action_items"][0]["id"]
    body = caller.post(f"{path}/actions/{action_id}", {"version": 5, "status": "done"}).json()
    body = caller.post(f"{path}/issues", {"version": 6, "text": "Balap liar malam Minggu",
                                          "category_code": "traffic", "raised_by": "Made Yasa"}).json()

    assert body["minutes"] == "Warga mengeluhkan balap liar."
    assert [d["text"] for d in body["decisions"]] == ["Ronda malam diaktifkan"]
    assert body["action_items"][0] | {"id": 0} == {"id": 0, "description": "Pasang lampu di gang",
                                                   "owner_name": "Kelian Banjar", "due_on": "2030-01-31",
                                                   "status": "done"}
    assert body["issues"][0]["text"] == "Balap liar malam Minggu"
    assert (body["issues"][0]["outcome_status"], body["version"]) == ("open", 7)


def test_a_resend_is_200_with_the_first_meeting_and_other_content_is_409(as_, les_forum):
    caller, data = as_("bhabin"), new_meeting(client_uuid=str(uuid.uuid4()))
    first = caller.post(f"{API}/{les_forum.pk}/meetings", data)
    again = caller.post(f"{API}/{les_forum.pk}/meetings", data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]

    changed = caller.post(f"{API}/{les_forum.pk}/meetings", data | {"agenda": "Lain"})
    assert_error(changed, 409, "version")
    assert Meeting.objects.get(pk=first.json()["id"]).agenda == "Rapat rutin bulanan"
    assert Meeting.objects.filter(forum=les_forum).count() == 1


def test_a_stale_version_is_409_and_changes_nothing(as_, held_meeting):
    caller, path = as_("kapolsek"), f"{API}/meetings/{held_meeting.pk}"
    assert caller.post(path, {"version": 1, "minutes": "Versi pertama"}).status_code == 200
    assert_error(caller.post(path, {"version": 1, "minutes": "Versi basi"}), 409, "version")
    held_meeting.refresh_from_db()
    assert (held_meeting.minutes, held_meeting.version) == ("Versi pertama", 2)


@pytest.mark.parametrize(("path", "data", "field"), [
    ("actions", {"version": 1, "description": "Pasang lampu"}, "owner_name"),
    ("actions", {"version": 1, "description": "Pasang lampu", "owner_name": " "}, "owner_name"),
    ("issues", {"version": 1, "text": "x", "category_code": "nope"}, "category_code"),
    ("decisions", {"version": 1, "text": "   "}, "text"),
    ("attendance", {"version": 1, "present": [999999999]}, "present"),
])
def test_bad_input_is_400_naming_the_field(as_, held_meeting, path, data, field):
    response = as_("fkpm").post(f"{API}/meetings/{held_meeting.pk}/{path}", data)
    assert_error(response, 400, field)
    assert Meeting.objects.get(pk=held_meeting.pk).version == 1


def test_wrong_types_are_422(as_, held_meeting):
    response = as_("fkpm").post(f"{API}/meetings/{held_meeting.pk}/attendance",
                                {"version": 1, "others_women": -1})
    assert_error(response, 422, "others_women")


def test_a_reader_who_may_not_write_gets_403(as_, held_meeting):
    # the PPA officer reads meetings in scope but does not keep them
    response = as_("ppa").post(f"{API}/meetings/{held_meeting.pk}/decisions", {"version": 1, "text": "x"})
    assert_error(response, 403)
    assert not held_meeting.decisions.exists()


def test_sensitive_issue_text_only_for_those_who_handle_it(as_, held_meeting):
    meeting_issue_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1,
                      text="Ibu R dipukul suaminya", category_code="domestic_violence", raised_by="Ibu R")
    seen = {}
    for username in ("fkpm", "kapolsek", "bhabin", "ppa"):
        issue = as_(username).get(f"{API}/meetings/{held_meeting.pk}").json()["issues"][0]
        assert issue["sensitive"] is True
        seen[username] = (issue["text"], issue["raised_by"])
    assert seen["fkpm"] == seen["kapolsek"] == ("", "")
    assert seen["bhabin"] == seen["ppa"] == ("Ibu R dipukul suaminya", "Ibu R")
