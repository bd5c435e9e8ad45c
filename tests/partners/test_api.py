"""GET /partners, /agreements, /programmes, /services: scoped and paginated; a partner's staff
record activities through POST /partner-activities, and acting outside its places is 404."""

import uuid

import pytest
from django.utils import timezone

from api.conftest import all_items, assert_error
from polmas.access.tokens import token_issue

from .conftest import COMPARE, LES

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _as(client, user):
    key = token_issue(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_lists_are_scoped(cast, api):
    ids = {i["id"] for i in all_items(api("kapolsek"), f"{API}/partners")}
    assert {cast.business.pk, cast.ngo.pk} <= ids
    outside = {i["id"] for i in all_items(api("kapolsek_depok"), f"{API}/partners")}
    assert not {cast.business.pk, cast.ngo.pk} & outside
    agreements = all_items(api("bhabin"), f"{API}/agreements")  # a Tejakula-wide PKS touches Les
    assert cast.agreement.pk in {a["id"] for a in agreements}
    assert cast.agreement.pk not in {a["id"] for a in all_items(api("kapolsek_depok"), f"{API}/agreements")}
    programmes = all_items(api("kapolres"), f"{API}/programmes")
    mine = next(p for p in programmes if p["id"] == cast.programme.pk)
    assert set(mine["places"]) == {LES, "51.08.09.2006"}
    assert mine["comparison"] == [COMPARE]
    services = {s["id"] for s in all_items(api("bhabin"), f"{API}/services")}
    assert cast.buleleng_ppa.pk in services and cast.sleman_ppa.pk not in services
    depok = {s["id"] for s in all_items(api("kapolsek_depok"), f"{API}/services", kind="uptd_ppa")}
    assert cast.sleman_ppa.pk in depok and cast.buleleng_ppa.pk not in depok
    assert all_items(api("warga"), f"{API}/partners") == []


def test_the_lists_are_paginated(cast, api):
    page = api("kapolres").get(f"{API}/services", limit=1).json()
    assert len(page["items"]) == 1 and page["count"] >= 1
    assert_error(api("kapolres").get(f"{API}/services", limit=0), 422, "limit")
    assert_error(api("kapolres").get(f"{API}/services", kind="nope"), 422, "kind")


def test_a_partner_sees_only_its_own(cast, client):
    headers = _as(client, cast.ngo_user)
    partners = client.get(f"{API}/partners", **headers).json()["items"]
    assert [p["id"] for p in partners] == [cast.ngo.pk]
    assert client.get(f"{API}/agreements", **headers).json()["items"] == []
    assert client.get(f"{API}/programmes", **headers).json()["items"] == []


def _activity(village, programme_id):
    return {"client_uuid": str(uuid.uuid4()), "programme_id": programme_id, "village": village,
            "kind": "training", "occurred_on": timezone.localdate().isoformat(), "participants": 12,
            "summary": "Pelatihan pengenalan TPPO bagi pekerja."}


def test_a_partner_records_an_activity_through_the_api(cast, client):
    headers = _as(client, cast.biz_user)
    body = _activity(LES, cast.programme.pk)
    made = client.post(f"{API}/partner-activities", body, content_type="application/json", **headers)
    assert made.status_code == 201, made.content
    assert made.json()["region_code"] == LES
    again = client.post(f"{API}/partner-activities", body, content_type="application/json", **headers)
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]


@pytest.mark.parametrize("village", [COMPARE, "34.04.07.2001"])
def test_a_partner_acting_outside_its_places_gets_404(cast, client, village):
    headers = _as(client, cast.biz_user)
    answer = client.post(f"{API}/partner-activities", _activity(village, cast.programme.pk),
                         content_type="application/json", **headers)
    assert_error(answer, 404)


def test_an_officer_records_no_partner_activity(cast, api):
    answer = api("kapolsek").post(f"{API}/partner-activities", _activity(LES, cast.programme.pk))
    assert_error(answer, 403)


def test_a_referral_to_a_service_elsewhere_is_refused_with_the_reason(cast, api):
    from conftest import person
    from polmas.cases import services

    case = services.case_open(actor=person("bhabin"), village=LES, source="detection",
                              category="neighbour_dispute", statement="Sengketa air.", incidents_note="x")
    answer = api("bhabin").post(f"{API}/cases/{case.pk}/referrals", {
        "version": case.version, "to": "uptd_ppa", "service_id": cast.sleman_ppa.pk})
    body = assert_error(answer, 400, "service_id")
    assert "Sleman" in body["errors"][0]["reason"]
    ok = api("bhabin").post(f"{API}/cases/{case.pk}/referrals", {
        "version": case.version, "to": "uptd_ppa", "service_id": cast.buleleng_ppa.pk})
    assert ok.status_code == 200, ok.content
    assert ok.json()["referrals"][-1]["service_id"] == cast.buleleng_ppa.pk
