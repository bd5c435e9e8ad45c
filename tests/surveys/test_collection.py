"""Collection: a resident's one-time link (anonymous, once, without JavaScript, consent) and an
enumerator's interview over the API (idempotent by client UUID). Each refusal names its reason
and stores nothing."""

import uuid

import pytest
from django.core.management import call_command

from polmas.access.models import AuditEntry
from polmas.surveys.collection import links_issue
from polmas.surveys.models import ResidentLink, Response, SampleVillage

pytestmark = pytest.mark.django_db

GOOD = {"consent": "yes", "feel_safe": "3", "fear_home": "0", "trust_police": "7", "police_respect": "3",
        "police_fair": "3", "police_values": "2", "victim_12m": "no", "know_bhabin": "no",
        "know_fkpm": "dk", "age": "41"}


@pytest.fixture
def village(wave):
    return SampleVillage.objects.filter(sample=wave).order_by("village_code").first()


@pytest.fixture
def link(village):
    return links_issue(actor=None, sample_village=village, count=1)[0]


def _responses():
    return Response.objects.exclude(channel=Response.Channel.SIMULATED).count()


def test_a_resident_answers_once_through_the_link_anonymously(client, link):
    page = client.get(f"/survei/{link}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html.split("<main>")[1]  # the form needs no JavaScript
    assert 'type="radio" name="feel_safe" value="3"' in html
    sent = client.post(f"/survei/{link}/", GOOD)
    assert sent.status_code == 200
    response = Response.objects.get(channel="web")
    assert response.consent is True and response.answers["feel_safe"] == "3"
    names = {f.name for f in Response._meta.get_fields()}
    assert not names & {"name", "phone", "email", "contact", "address", "ip"}
    again = client.post(f"/survei/{link}/", GOOD | {"feel_safe": "1"})
    assert again.status_code == 404 and _responses() == 1
    assert "already used" in client.get(f"/survei/{link}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_second_answer_through_a_link_is_refused_by_the_service_with_its_reason(link):
    from django.core.exceptions import ValidationError

    from polmas.surveys.collection import resident_answer

    resident_answer(token=link, consent="yes", answers=GOOD)
    with pytest.raises(ValidationError) as caught:
        resident_answer(token=link, consent="yes", answers=GOOD)
    assert "one answer per link" in str(caught.value.message_dict["link"])
    assert _responses() == 1


def test_an_answer_outside_the_scale_is_refused_and_nothing_stored(client, link):
    page = client.post(f"/survei/{link}/", GOOD | {"feel_safe": "9"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert "9 is not on the scale (1, 2, 3, 4)" in page.content.decode()
    assert _responses() == 0
    assert ResidentLink.objects.get().used_at is None  # the link still works


def test_without_consent_nothing_is_stored(client, link):
    page = client.post(f"/survei/{link}/", {"consent": "no"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "consent is required" in page.content.decode()
    assert _responses() == 0


def test_an_unknown_link_answers_404(client, link):
    assert client.get("/survei/not-a-real-token/").status_code == 404
    assert client.post("/survei/not-a-real-token/", GOOD).status_code == 404


def test_the_links_command_prints_working_links(wave, village, capsys):
    call_command("survey_links", "--sample", str(wave.pk), "--village", village.village_code, "--count", "2")
    lines = capsys.readouterr().out.split()
    assert len(lines) == 2 and all("/survei/" in line for line in lines)
    assert ResidentLink.objects.filter(sample_village=village).count() == 2


def _interview(sv: SampleVillage, **over) -> dict:
    return {"sample": sv.sample_id, "village": sv.village_code, "client_uuid": str(uuid.uuid4()),
            "consent": True, "answers": GOOD} | over


def test_an_enumerator_submits_an_interview_once_whatever_the_resends(api, enumerator, village):
    call_command("survey_assign", "--sample", str(village.sample_id), "--enumerator", enumerator.username,
                 village.regency_code)
    me = api(enumerator.username)
    assigned = me.get("/api/v1/surveys/assignments").json()
    assert village.village_code in {a["village"] for a in assigned}
    body = _interview(village)
    first = me.post("/api/v1/surveys/interviews", body)
    assert first.status_code == 201, first.json()
    again = me.post("/api/v1/surveys/interviews", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = me.post("/api/v1/surveys/interviews", body | {"answers": GOOD | {"feel_safe": "1"}})
    assert other.status_code == 409 and other.json()["errors"][0]["field"] == "client_uuid"
    assert _responses() == 1
    assert AuditEntry.objects.filter(action="survey_interview").count() == 1


@pytest.mark.parametrize("change,field,reason", [
    ({"answers": GOOD | {"trust_police": "11"}}, "answers.trust_police", "not on the scale"),
    ({"answers": GOOD | {"age": "9"}}, "answers.age", "between 17 and 120"),
    ({"answers": GOOD | {"victim_reported": "yes"}}, "answers.victim_reported", "not asked"),
    ({"answers": GOOD | {"colour": "red"}}, "answers.colour", "no such item"),
    ({"village": "34.01.01.9999"}, "village", "not in the sample"),
    ({"consent": False}, "consent", "consent is required"),
])
def test_a_bad_interview_is_refused_with_its_reason_and_nothing_stored(api, enumerator, village,
                                                                         change, field, reason):
    call_command("survey_assign", "--sample", str(village.sample_id), "--enumerator", enumerator.username,
                 village.village_code)
    me = api(enumerator.username)
    me.headers["Accept-Language"] = "en"  # the reasons in the msgids' language
    answer = me.post("/api/v1/surveys/interviews", _interview(village, **change))
    assert answer.status_code == 400, answer.json()
    errors = {e["field"]: e["reason"] for e in answer.json()["errors"]}
    assert reason in errors[field]
    assert _responses() == 0


def test_a_village_assigned_to_someone_else_is_refused(api, enumerator, village):
    me = api(enumerator.username)
    me.headers["Accept-Language"] = "en"
    answer = me.post("/api/v1/surveys/interviews", _interview(village))
    assert answer.status_code == 400 and "not assigned to you" in answer.json()["errors"][0]["reason"]
    assert _responses() == 0


@pytest.mark.parametrize("who", ["bhabin", "kapolsek", "kapolres", "kapolda", "ppa", "mitra", "bappenas",
                                 "warga", "fkpm", "admin"])
def test_only_enumerators_submit_interviews(api, village, who):
    answer = api(who).post("/api/v1/surveys/interviews", _interview(village))
    assert answer.status_code == 403
    assert api(who).get("/api/v1/surveys/assignments").status_code == 403
    assert _responses() == 0
