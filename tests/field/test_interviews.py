"""Survey interviews through the field app's sync (kind `interview`, the body of POST
/surveys/interviews): recorded offline by an enumerator, stored exactly once however often
the phone resends, refused per record with the surveys service's reason."""

import uuid

import pytest
from django.core.management import call_command

from polmas.access.models import Role, RoleGrant
from polmas.surveys.models import Response, SampleVillage
from polmas.surveys.waves import wave_simulate
from surveys.conftest import YEAR
from surveys.test_collection import GOOD

from .conftest import SYNC, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    wave = wave_simulate(provinces=["34"], year=YEAR, seed=7, margin=10.0)
    return SampleVillage.objects.filter(sample=wave).order_by("village_code").first()


@pytest.fixture
def enumerator(village):
    from django.contrib.auth.models import User

    user = User.objects.create_user("enum_field", password="x-enum-pass-1")  # noqa: S106
    RoleGrant.objects.create(user=user, role=Role.ENUMERATOR, organisation="Universitas Gadjah Mada")
    call_command("survey_assign", "--sample", str(village.sample_id), "--enumerator", user.username,
                 village.village_code)
    return user


def interview(sv: SampleVillage, uid: str | None = None, **over) -> dict:
    return record("interview", {"sample": sv.sample_id, "village": sv.village_code, "consent": True,
                                "answers": GOOD, **over}, uid)


def _send(api, user: str, records: list) -> list[dict]:
    client = api(user)
    client.headers["Accept-Language"] = "en"
    answer = client.post(SYNC, {"records": records})
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def test_an_interview_recorded_offline_is_stored_exactly_once(api, enumerator, village):
    first = interview(village)
    results = _send(api, enumerator.username, [first, first])  # twice in one batch, too
    assert [r["status"] for r in results] == ["created", "exists"]
    made = results[0]["id"]
    assert Response.objects.filter(client_uuid=first["uuid"]).count() == 1
    again = _send(api, enumerator.username, [first])[0]  # the phone never heard the answer
    assert again == {**again, "status": "exists", "id": made}
    changed = interview(village, uid=first["uuid"], answers=GOOD | {"feel_safe": "1"})
    assert _send(api, enumerator.username, [changed])[0]["status"] == "conflict"
    assert Response.objects.filter(client_uuid=first["uuid"]).count() == 1
    assert Response.objects.get(pk=made).answers["feel_safe"] == GOOD["feel_safe"]
    # The interview sent first through its own endpoint is the same interview here.
    direct = interview(village)
    assert api(enumerator.username).post("/api/v1/surveys/interviews", direct["body"]).status_code == 201
    assert _send(api, enumerator.username, [direct])[0]["status"] == "exists"
    assert Response.objects.filter(client_uuid=direct["uuid"]).count() == 1


def test_a_bad_interview_is_refused_per_record_and_the_rest_go_through(api, enumerator, village):
    good = interview(village)
    scale = interview(village, answers=GOOD | {"trust_police": "11"})
    no_consent = interview(village, consent=False)
    elsewhere = interview(village, village="34.01.01.9999")
    results = _send(api, enumerator.username, [scale, no_consent, elsewhere, good])
    assert [r["status"] for r in results] == ["rejected", "rejected", "rejected", "created"]
    assert results[0]["errors"][0]["field"] == "body.answers.trust_police"
    assert "consent" in results[1]["reason"]
    assert "not in the sample" in results[2]["reason"]
    sent = [r["uuid"] for r in (scale, no_consent, elsewhere, good)]
    stored = Response.objects.filter(client_uuid__in=sent).values_list("client_uuid", flat=True)
    assert set(stored) == {uuid.UUID(good["uuid"])}


def test_only_enumerators_send_interviews(api, village):
    sent = interview(village)
    answer = _send(api, "bhabin", [sent])[0]
    assert answer["status"] == "rejected" and "enumerators" in answer["reason"]
    assert not Response.objects.filter(client_uuid=sent["uuid"]).exists()
