"""The planner's API: refusals name the field; a stale proposal answers 409 and applies nothing."""

import pytest
from django.utils import timezone

from polmas.planning.models import Proposal
from polmas.policing.models import Assignment

pytestmark = pytest.mark.django_db
V1 = "/api/v1/planning"


@pytest.mark.parametrize(("body", "field"), [
    ({"region": "51.08.09", "k": 0, "d_km": 5}, "k"),
    ({"region": "51.08.09", "k": 2, "d_km": 0}, "d_km"),
    ({"region": "34.04.07", "k": 1, "d_km": 5, "add_officers": 5}, "add_officers"),
])
def test_bad_planner_input_is_refused_naming_the_field(api, body, field):
    response = api("kapolres").post(f"{V1}/proposals", body)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Proposal.objects.exists()


def test_a_past_target_year_and_a_share_above_100_are_refused(api):
    last_year = timezone.localdate().year - 1
    r = api("bappenas").post(f"{V1}/targets", {"region": "51", "indicator": "officer_coverage",
                                              "year": last_year, "value": 80})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "year"
    r = api("bappenas").post(f"{V1}/targets", {"region": "51", "indicator": "forum_coverage",
                                              "year": 2030, "value": 120})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "value"


def test_plan_then_apply_and_a_stale_proposal_answers_409(api):
    client = api("kapolsek")
    first = client.post(f"{V1}/proposals", {"region": "51.08.09", "k": 3, "d_km": 10}).json()
    second = client.post(f"{V1}/proposals", {"region": "51.08.09", "k": 3, "d_km": 10}).json()
    assert first["coverage_after"] >= first["greedy_coverage"]
    applied = client.post(f"{V1}/proposals/{first['id']}/apply", {})
    assert applied.status_code == 200 and applied.json()["officers_changed"] >= 1
    open_now = set(Assignment.objects.filter(end__isnull=True).values_list("pk", flat=True))
    stale = client.post(f"{V1}/proposals/{second['id']}/apply", {})
    assert stale.status_code == 409
    assert set(Assignment.objects.filter(end__isnull=True).values_list("pk", flat=True)) == open_now
