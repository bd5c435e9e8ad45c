"""Referrals point to a listed service of the directory; a service that does not serve the
case's village is refused with the reason; completion is measured per service."""

import pytest
from django.core.exceptions import ValidationError

from conftest import person
from polmas.cases import mediation, services
from polmas.cases.models import Referral
from polmas.cases.selectors import referral_completion

from .conftest import LES

pytestmark = pytest.mark.django_db


def _case(actor):
    return services.case_open(actor=actor, village=LES, source="detection", category="neighbour_dispute",
                              statement="Sengketa air.", incidents_note="Dua kali.", recurring=True)


def _refer(actor, case, service):
    case.refresh_from_db()
    return mediation.referral_create(actor=actor, case_id=case.pk, version=case.version, to="uptd_ppa",
                                     note="Mohon pendampingan.", service_id=service.pk)


def test_a_referral_to_a_service_outside_the_cases_region_is_refused(cast):
    bhabin = person("bhabin")
    case = _case(bhabin)
    with pytest.raises(ValidationError) as exc:
        _refer(bhabin, case, cast.sleman_ppa)
    reason = exc.value.message_dict["service_id"][0]
    assert "UPTD PPA Sleman" in reason and "not this case's village" in reason
    assert not Referral.objects.filter(case=case).exists()


def test_a_referral_to_an_unlisted_service_is_refused(cast):
    bhabin = person("bhabin")
    case = _case(bhabin)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        mediation.referral_create(actor=bhabin, case_id=case.pk, version=case.version, to="uptd_ppa",
                                  service_id=987654)
    assert "No service 987654" in exc.value.message_dict["service_id"][0]


def test_completion_per_service_on_a_planted_example(cast):
    bhabin = person("bhabin")
    # Planted: 4 referrals to the Buleleng UPTD PPA: 3 accepted, 1 declined -> 0.75; plus 1
    # to a health centre left unanswered -> 0.0 with 1 waiting.
    from polmas.partners.services import service_create
    health = service_create(actor=person("kapolres"), name="Puskesmas Tejakula", kind="health",
                            region="51.08.09")
    for answer in (True, True, True, False):
        case = _case(bhabin)
        referral = _refer(bhabin, case, cast.buleleng_ppa)
        case.refresh_from_db()
        mediation.referral_answer(actor=bhabin, case_id=case.pk, version=case.version,
                                  referral_id=referral.pk, accepted=answer,
                                  note="" if answer else "Penuh.")
    _refer(bhabin, _case(bhabin), health)
    rows = {r["service_id"]: r for r in referral_completion(user=person("kapolres"))}
    ppa = rows[cast.buleleng_ppa.pk]
    figures = (ppa["sent"], ppa["accepted"], ppa["declined"], ppa["waiting"], ppa["completion"])
    assert figures == (4, 3, 1, 0, 0.75)
    assert rows[health.pk]["completion"] == 0.0 and rows[health.pk]["waiting"] == 1
    # Outside the cases' region the figure is empty; residents get none.
    assert referral_completion(user=person("kapolsek_depok")) == []
    assert referral_completion(user=person("warga")) == []
    # The same figures through the API.
    from django.test import Client

    from polmas.access.tokens import token_issue

    key = token_issue(user=person("kapolres"), name="t")
    got = Client().get("/api/v1/referrals/completion", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert {r["service_id"]: r["completion"] for r in got} == {cast.buleleng_ppa.pk: 0.75, health.pk: 0.0}


def test_the_case_page_offers_the_services_serving_the_village_and_refuses_others(cast):
    from django.test import Client

    bhabin = person("bhabin")
    case = _case(bhabin)
    client = Client()
    client.force_login(bhabin)
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert "UPTD PPA Buleleng" in page and "UPTD PPA Sleman" not in page
    case.refresh_from_db()
    refused = client.post(f"/kasus/{case.pk}/rujukan/", {
        "version": case.version, "to": "uptd_ppa", "service_id": cast.sleman_ppa.pk, "note": ""},
        HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "not this case&#x27;s village" in refused.content.decode()
    assert not Referral.objects.filter(case=case).exists()
    sent = client.post(f"/kasus/{case.pk}/rujukan/", {
        "version": case.version, "to": "uptd_ppa", "service_id": cast.buleleng_ppa.pk, "note": ""})
    assert sent.status_code == 302
    assert Referral.objects.get(case=case).service == cast.buleleng_ppa
