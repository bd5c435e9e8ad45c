"""Survey answers never reach anyone below the published aggregate: every role, police or not,
sees regencies, provinces and the country only, with cells under 30 answers blank."""

import datetime as dt
import json

import pytest
from django.urls import NoReverseMatch, reverse

from polmas.surveys.models import Response, SampleVillage
from polmas.surveys.waves import estimates_store, wave_simulate

pytestmark = pytest.mark.django_db

ROLES = ["warga", "bhabin", "fkpm", "kapolsek", "kapolres", "kapolda", "ppa", "mitra", "bappenas", "admin",
         "kapolsek_depok"]
THIN = "51.08"  # Buleleng, where the demo's police roles work: thinned below 30 answers


@pytest.fixture
def bali_wave():
    sample = wave_simulate(provinces=["51"], year=dt.date.today().year, seed=3, margin=15.0)
    keep = SampleVillage.objects.filter(sample=sample, regency_code=THIN).order_by("village_code")
    first, rest = keep[0], list(keep[1:])
    Response.objects.filter(sample_village__in=rest).delete()
    ids = list(Response.objects.filter(sample_village=first).values_list("pk", flat=True))
    Response.objects.filter(pk__in=ids[12:]).delete()
    estimates_store(sample)
    return sample


@pytest.mark.parametrize("who", ROLES)
def test_each_role_sees_only_published_aggregates(api, login, bali_wave, who):
    cells = api(who).get("/api/v1/surveys/estimates").json()
    assert cells and all(len(c["code"]) <= 5 for c in cells)
    assert all(c["value"] is None for c in cells if c["n"] < 30)
    thin = [c for c in cells if c["code"] == THIN]
    assert thin and all(c["value"] is None and c["low"] is None for c in thin)
    page = login(who).get("/statistik/survei/").content.decode()
    villages = SampleVillage.objects.filter(sample=bali_wave).values_list("village_code", flat=True)
    assert not any(code in page for code in villages)
    assert 'data-code="51.08"' in page and "too few answers" in page.lower() or "terlalu sedikit" in page


def test_no_page_or_endpoint_serves_responses(client):
    for name in ("admin:surveys_response_changelist", "admin:surveys_response_change"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1] if name.endswith("change") else [])
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    survey_paths = sorted(p for p in paths if "survey" in p)
    assert survey_paths == ["/api/v1/surveys/assignments", "/api/v1/surveys/estimates",
                            "/api/v1/surveys/interviews"]
    assert "get" not in paths["/api/v1/surveys/interviews"]
