"""The offline snapshot of a survey enumerator: their own assigned villages in each wave and the
wave's questionnaire (types, choices labelled in their language, required flags, skip logic,
constraints); nobody else's assignments, and none at all for other roles. Reading it writes
nothing."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polmas.access.models import Role, RoleGrant
from polmas.surveys.models import SampleVillage

from .test_interviews import enumerator, village  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SNAPSHOT = "/api/v1/sync/snapshot"


def _snapshot(api, username: str, lang: str = "") -> dict:
    client = api(username)
    if lang:
        client.headers["Accept-Language"] = lang
    answer = client.get(SNAPSHOT)
    assert answer.status_code == 200, answer.content
    return answer.json()


def _other_enumerator(sv: SampleVillage) -> User:
    user = User.objects.create_user("enum_other", password="x-enum-pass-2")  # noqa: S106
    RoleGrant.objects.create(user=user, role=Role.ENUMERATOR, organisation="BPS")
    call_command("survey_assign", "--sample", str(sv.sample_id), "--enumerator", user.username,
                 sv.village_code)
    return user


def test_an_enumerator_gets_their_own_villages_and_the_questionnaire(
        api, enumerator, village):  # noqa: F811
    elsewhere = (SampleVillage.objects.filter(sample=village.sample).exclude(pk=village.pk)
                 .order_by("village_code").first())
    _other_enumerator(elsewhere)
    snap = _snapshot(api, enumerator.username, "en")
    assert "enumerator" in snap["roles"]
    [wave] = snap["interviews"]
    assert wave["sample"] == village.sample_id and wave["wave"] == village.sample.wave
    assert [v["code"] for v in wave["villages"]] == [village.village_code]
    assert wave["villages"][0]["name"] and wave["villages"][0]["planned"] == village.planned
    items = {i["name"]: i for i in wave["items"]}
    assert list(items)[0] == "consent"
    assert items["feel_safe"]["kind"] == "select_one" and items["feel_safe"]["required"] is True
    assert {"value": "4", "label": "Very safe"} in items["feel_safe"]["choices"]
    assert items["victim_reported"]["relevant"] == "${consent} = 'yes' and ${victim_12m} = 'yes'"
    assert items["age"]["kind"] == "integer" and items["age"]["constraint"] == ". >= 17 and . <= 120"
    assert items["age"]["label"] == "How old are you (years)?"
    # Indonesian by default (and where the instrument has no English).
    indonesian = {i["name"]: i for i in _snapshot(api, enumerator.username)["interviews"][0]["items"]}
    assert {"value": "4", "label": "Sangat aman"} in indonesian["feel_safe"]["choices"]
    assert indonesian["age"]["label"] == "Berapa umur Anda (tahun)?"
    # The other enumerator sees only theirs.
    [theirs] = _snapshot(api, "enum_other")["interviews"]
    assert [v["code"] for v in theirs["villages"]] == [elsewhere.village_code]


@pytest.mark.parametrize("username", ["bhabin", "kapolsek", "fkpm", "admin"])
def test_other_roles_get_no_assignments(api, enumerator, village, username):  # noqa: F811
    assert _snapshot(api, username)["interviews"] == []


def test_an_enumerator_with_nothing_assigned_gets_none(api, village):  # noqa: F811
    user = User.objects.create_user("enum_idle", password="x-enum-pass-3")  # noqa: S106
    RoleGrant.objects.create(user=user, role=Role.ENUMERATOR, organisation="BPS")
    assert _snapshot(api, "enum_idle")["interviews"] == []


def test_reading_the_snapshot_writes_nothing(api, enumerator, village):  # noqa: F811
    client = api(enumerator.username)  # the token is made here, before the capture
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SNAPSHOT).status_code == 200
    # (The bearer token's last use is stamped by the authentication, not by the snapshot.)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and '"access_apitoken"' not in q["sql"]]
    assert writes == []
