"""The planner's survey pages (/survei/rencana/): draw a wave from a form, follow it by
regency, assign villages to an enumerator, issue residents' one-time links; enumerators see
their own villages; no one else sees these pages. Bad input names the field and stores nothing."""

import re

import pytest

from polmas.access.models import AuditEntry
from polmas.surveys.models import ResidentLink, Sample, SampleVillage
from surveys.conftest import YEAR

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
GOOD = {"wave": "2027-uji", "year": YEAR, "provinces": "34", "margin": "10", "deff": "1.5",
        "response_rate": "0.85", "per_village": "10", "seed": "11"}


def draw(client, **changes):
    return client.post("/survei/rencana/", {**GOOD, **changes}, headers=EN)


def test_a_planner_draws_a_wave_and_follows_it_by_regency(login):
    client = login("bappenas")
    response = draw(client)
    sample = Sample.objects.get(wave="2027-uji")
    assert response.status_code == 302 and response["Location"] == f"/survei/rencana/{sample.pk}/"
    assert sample.provinces == "34" and sample.margin == 10 and sample.seed == 11
    assert AuditEntry.objects.filter(action="survey_sample", actor__username="bappenas").count() == 1
    page = client.get(response["Location"], headers=EN).content.decode()
    regencies = re.findall(r'<tr data-regency="([0-9.]+)">', page)
    assert regencies == ["34.01", "34.02", "34.03", "34.04", "34.71"]
    planned = sum(SampleVillage.objects.filter(sample=sample).values_list("planned", flat=True))
    assert f"0 questionnaires received of {planned:,} planned" in page
    # The same form and seed draw the same villages (another wave name).
    draw(client, wave="2027-ulang")
    again = Sample.objects.get(wave="2027-ulang")
    assert (list(again.villages.order_by("village_code").values_list("village_code", flat=True))
            == list(sample.villages.order_by("village_code").values_list("village_code", flat=True)))


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"margin": "0"}, "margin", "must be between 1.0 and 20.0"),
    ({"provinces": "34, 99"}, "provinces", "unknown province codes: 99"),
    ({"response_rate": "abc"}, "response_rate", "Enter a number."),
    ({"year": "1990"}, "year", "must be between"),
    ({"wave": "   "}, "wave", ""),
])
def test_bad_input_names_the_field_and_stores_nothing(login, changes, field, reason):
    response = draw(login("bappenas"), **changes)
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'id="id_{field}_error">([^<]*)<', html)
    assert error and reason in error.group(1)
    assert not Sample.objects.exists() and not AuditEntry.objects.filter(action="survey_sample").exists()


def test_a_wave_name_is_used_once(login):
    client = login("bappenas")
    draw(client)
    response = draw(client, seed="12")
    assert response.status_code == 400 and "a wave of this name exists already" in response.content.decode()
    assert Sample.objects.count() == 1


def test_assigning_a_regency_to_an_enumerator_who_then_sees_their_villages(login, client, enumerator):
    planner = login("bappenas")
    draw(planner)
    sample = Sample.objects.get()
    page = planner.post(f"/survei/rencana/{sample.pk}/", {"action": "assign", "enumerator": "enum_ugm",
                                                          "villages": "34.71"}, headers=EN)
    mine = set(sample.villages.filter(regency_code="34.71").values_list("village_code", flat=True))
    assert page.status_code == 200 and f"{len(mine)} villages assigned to enum_ugm" in page.content.decode()
    assert set(sample.villages.filter(enumerator=enumerator).values_list("village_code", flat=True)) == mine
    listing = planner.get(f"/survei/rencana/{sample.pk}/", {"kabupaten": "34.71"},
                          headers=EN).content.decode()
    assert listing.count("<td>enum_ugm</td>") == len(mine)
    # A village outside the sample: refused, named, nothing assigned.
    bad = planner.post(f"/survei/rencana/{sample.pk}/", {"action": "assign", "enumerator": "enum_ugm",
                                                         "villages": "51.08.09.2007"}, headers=EN)
    assert bad.status_code == 400 and "not in the sample: 51.08.09.2007" in bad.content.decode()
    client.force_login(enumerator)
    own = client.get("/survei/rencana/", headers=EN).content.decode()
    assert set(re.findall(r'<tr data-village="([0-9.]+)">', own)) == mine


def test_links_are_shown_once_and_each_opens_the_questionnaire(login, client):
    planner = login("bappenas")
    draw(planner)
    sample = Sample.objects.get()
    village = sample.villages.order_by("village_code").first().village_code
    page = planner.post(f"/survei/rencana/{sample.pk}/",
                        {"action": "links", "village": village, "count": "3"},
                        headers=EN).content.decode()
    urls = re.findall(r"<code>(http[^<]+)</code>", page)
    assert len(urls) == 3 and ResidentLink.objects.filter(sample_village__village_code=village).count() == 3
    assert client.get(urls[0].replace("http://testserver", "")).status_code == 200
    assert "<code>" not in planner.get(f"/survei/rencana/{sample.pk}/").content.decode()


@pytest.mark.parametrize("username", ["kapolsek", "kapolda", "bhabin", "fkpm", "mitra", "warga"])
def test_no_one_else_sees_the_waves(login, username):
    login("bappenas")
    draw(login("bappenas"))
    sample = Sample.objects.get()
    client = login(username)
    assert client.get("/survei/rencana/").status_code == 404
    assert client.get(f"/survei/rencana/{sample.pk}/").status_code == 404
    assert client.post("/survei/rencana/", {**GOOD, "wave": "x"}).status_code == 404
    assert Sample.objects.count() == 1
