"""Quick regression tests for what the round-2 probe (test_round2_probe.py) found: each the
smallest request showing one finding, so it runs in seconds where the probe takes minutes."""

import datetime as dt

import pytest
from django.utils import timezone

from polmas.planning.models import Milestone, Proposal

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def _soon() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


@pytest.mark.parametrize("field", ["title", "owner_name"])
def test_a_milestone_with_a_nul_or_control_character_is_refused_naming_the_field(api, field):
    body = {"region": "51.08", "title": "Pelatihan", "owner": "polres", "owner_name": "Kapolres",
            "due": _soon(), field: "Pe\x00latihan"}
    before = Milestone.objects.count()
    resp = api("kapolres").post(f"{V1}/planning/milestones", body)
    assert resp.status_code == 400, resp.content
    assert resp.json()["errors"] == [{"field": field, "reason": "berisi karakter kendali."}]
    assert Milestone.objects.count() == before


def test_a_milestone_change_with_a_control_character_is_refused(client, token):
    made = client.post(f"{V1}/planning/milestones", {"region": "51.08", "title": "Rapat", "owner": "polres",
                                                     "due": _soon()}, content_type="application/json",
                       headers={"Authorization": f"Bearer {token('kapolres')}"})
    assert made.status_code == 200
    pk = made.json()["id"]
    resp = client.patch(f"{V1}/planning/milestones/{pk}", {"owner_name": "Bu\x07pati"},
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {token('kapolres')}", "Accept-Language": "en"})
    assert resp.status_code == 400
    assert resp.json()["errors"] == [{"field": "owner_name", "reason": "contains control characters."}]
    assert Milestone.objects.get(pk=pk).owner_name == ""


def test_a_scenario_name_with_a_nul_is_refused_before_the_planner_runs(api):
    before = Proposal.objects.count()
    resp = api("kapolsek").post(f"{V1}/planning/proposals",
                                {"region": "51.08.09", "k": 3, "d_km": 10, "name": "Uji\x00"})
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["field"] == "name"
    assert Proposal.objects.count() == before


def test_the_region_page_refuses_a_milestone_title_with_a_nul(login):
    client = login("kapolres")
    before = Milestone.objects.count()
    resp = client.post("/rencana/wilayah/51.08/", {"what": "milestone", "title": "A\x00B", "owner": "polres",
                                                   "due": _soon()})
    assert resp.status_code == 400
    assert Milestone.objects.count() == before


def _planner(username: str, province: str):
    from django.contrib.auth.models import User

    from polmas.access.models import Role, RoleGrant
    from polmas.regions.models import Region

    user = User.objects.create_user(username)
    RoleGrant.objects.create(user=user, role=Role.PLANNER, region=Region.objects.get(code=province))
    return user


def test_a_provinces_planner_neither_sees_nor_works_on_another_provinces_wave(client):
    from polmas.surveys.models import ResidentLink, Sample, SampleVillage
    from polmas.surveys.waves import wave_simulate

    wave = wave_simulate(provinces=["34"], year=dt.date.today().year, seed=7, margin=10.0)
    village = SampleVillage.objects.filter(sample=wave).order_by("village_code").first()
    client.force_login(_planner("planner_bali", "51"))
    assert client.get(f"/survei/rencana/{wave.pk}/").status_code == 404
    assert f"/survei/rencana/{wave.pk}/" not in client.get("/survei/rencana/").content.decode()
    links = ResidentLink.objects.count()
    sent = client.post(f"/survei/rencana/{wave.pk}/", {"action": "links", "village": village.village_code,
                                                       "count": "5"})
    assert sent.status_code == 404 and ResidentLink.objects.count() == links
    samples = Sample.objects.count()
    drawn = client.post("/survei/rencana/", {"wave": "2027-9", "year": str(dt.date.today().year),
                                             "provinces": "34", "margin": "10", "deff": "1.5",
                                             "response_rate": "0.85", "per_village": "10", "seed": "5"},
                        HTTP_ACCEPT_LANGUAGE="en")
    assert drawn.status_code == 400 and "outside your area: 34" in drawn.content.decode()
    assert Sample.objects.count() == samples
    # The planner of D.I. Yogyakarta works on it.
    client.force_login(_planner("planner_diy2", "34"))
    assert client.get(f"/survei/rencana/{wave.pk}/").status_code == 200
    sent = client.post(f"/survei/rencana/{wave.pk}/", {"action": "links", "village": village.village_code,
                                                       "count": "2"})
    assert sent.status_code == 200 and ResidentLink.objects.count() == links + 2


def test_an_age_in_other_scripts_digits_is_refused_on_the_residents_form(client):
    from polmas.surveys.collection import links_issue
    from polmas.surveys.models import Response, SampleVillage
    from polmas.surveys.waves import wave_simulate

    wave = wave_simulate(provinces=["34"], year=dt.date.today().year, seed=7, margin=10.0)
    village = SampleVillage.objects.filter(sample=wave).order_by("village_code").first()
    link = links_issue(actor=None, sample_village=village, count=1)[0]
    answers = {"consent": "yes", "feel_safe": "3", "fear_home": "0", "trust_police": "7",
               "police_respect": "3", "police_fair": "3", "police_values": "2", "victim_12m": "no",
               "know_bhabin": "no", "know_fkpm": "dk"}
    before = Response.objects.count()
    sent = client.post(f"/survei/{link}/", {**answers, "age": "٤١"}, HTTP_ACCEPT_LANGUAGE="en")
    assert sent.status_code == 400 and "must be a whole number" in sent.content.decode()
    assert Response.objects.count() == before
    assert client.post(f"/survei/{link}/", {**answers, "age": "41"}).status_code == 200


def test_an_intervention_named_with_a_nul_is_refused_not_sent_to_the_database(api, login):
    from polmas.evaluation.models import EvaluationRun

    runs = EvaluationRun.objects.count()
    resp = api("kapolres").post(f"{V1}/evaluation/runs", {"intervention": "probe\x00"})
    assert resp.status_code == 422
    assert [e["field"] for e in resp.json()["errors"]] == ["intervention"]
    client = login("kapolres")
    assert client.post("/evaluasi/", {"intervention": "probe\x00", "outcome": "reports",
                                      "pool": "never"}).status_code == 400
    assert client.get("/evaluasi/", {"intervention": "probe\x00"}).status_code == 200
    assert EvaluationRun.objects.count() == runs


def test_an_alarm_dismissed_on_its_page_with_a_nul_in_the_reason_is_refused(login):
    from polmas.earlywarning.models import Alarm

    alarm = Alarm.objects.create(region_id="51.08.09.2007", group="property", week=dt.date(2026, 11, 23),
                                 weeks=2, villages=["51.08.09.2007"], observed=9, expected=2.0,
                                 top_category="theft", detector="negbin")
    resp = login("kapolsek").post(f"/peringatan/{alarm.pk}/abaikan/", {"reason": "Salah\x00hitung"},
                                  HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 400 and "contains control characters." in resp.content.decode()
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.ACTIVE and alarm.reason == ""


def test_an_agreement_document_that_only_starts_like_a_pdf_is_refused(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import person
    from polmas.partners.models import Agreement
    from polmas.partners.services import organisation_create

    org = organisation_create(actor=person("kapolres"), name="Mitra uji", kind="ngo", places=["51.08.09"])
    today = timezone.localdate()
    form = {"organisation": str(org.pk), "kind": "mou", "title": "MoU", "police_party": "Polres",
            "signed_on": today.isoformat(), "starts_on": today.isoformat(), "ends_on": _soon(),
            "places": "51.08.09", "police_commitments": "Sambang.", "partner_commitments": "Mediasi."}
    client = login("kapolres")
    before = Agreement.objects.count()
    for content in (b"%PDF-", b"%PDF-1.4\n<html><script>alert(1)</script></html>"):
        resp = client.post(f"/mitra/{org.pk}/perjanjian/baru/",
                           {**form, "document": SimpleUploadedFile("mou.pdf", content, "application/pdf")},
                           HTTP_ACCEPT_LANGUAGE="en")
        assert resp.status_code == 400 and "not a PDF document" in resp.content.decode()
    assert Agreement.objects.count() == before
    real = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    resp = client.post(f"/mitra/{org.pk}/perjanjian/baru/",
                       {**form, "document": SimpleUploadedFile("mou.pdf", real, "application/pdf")})
    assert resp.status_code == 302 and Agreement.objects.count() == before + 1


def test_scenario_comparison_ignores_ids_no_record_can_have(login):
    client = login("bappenas")
    for bad in ("99999999999999999999999", "²", "-1", "1e3"):
        assert client.get("/rencana/skenario/", {"id": bad}).status_code == 200
