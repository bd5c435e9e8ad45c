"""Nothing personal in any public answer: no reporter identity, no exact place, no sensitive
request, no spam, no hidden text, no phone number or e-mail typed into the description."""

import pytest
from django.test import Client

from conftest import person
from polmas.regions.models import Region
from polmas.reports.models import Report
from polmas.reports.services import report_moderate

from .tools import LES, V2, ids_of, listing, report_new

pytestmark = pytest.mark.django_db
NAME, SURNAME, PHONE, EMAIL = "Wayan", "Sudarsana", "081234567890", "wayan.sudarsana@example.com"
# Precise coordinates some 400 m from the centre of Desa Les.
LAT, LONG = "-8.150321", "115.369874"
SECRETS = [NAME, SURNAME, "81234567890", "wayan.sudarsana", LAT, LONG, "150321", "369874"]


def every_public_answer(client: Client, *ids: int) -> list[str]:
    """The text of every listing and detail, in JSON and XML, that could carry these requests."""
    answers = []
    for fmt in ("json", "xml"):
        for params in ({}, {"service_request_id": ",".join(map(str, ids))}, {"status": "open"},
                       {"service_code": "theft,domestic_violence,noise"}):
            answers.append(client.get(f"{V2}/requests.{fmt}", params).content.decode())
        answers += [client.get(f"{V2}/requests/{i}.{fmt}").content.decode() for i in ids]
    return answers


def test_reporter_identity_and_exact_location_never_appear(client: Client, post) -> None:
    answer = post(first_name=NAME, last_name=SURNAME, phone=PHONE, email=EMAIL, lat=LAT, long=LONG,
                  description="Motor saya dicuri di depan rumah.")
    assert answer.status_code == 200, answer.content
    report_id = answer.json()[0]["service_request_id"]
    report = Report.objects.get(pk=report_id)
    assert report.reporter_phone and report.reporter_email == EMAIL and report.latitude == float(LAT)
    answers = every_public_answer(client, report_id)
    for text in answers:
        assert "Motor saya dicuri di depan rumah." in text  # the request is there ...
        for secret in SECRETS:
            assert secret not in text  # ... and nothing of its reporter or exact place
    [item] = listing(client, service_request_id=str(report_id))
    les = Region.objects.get(code=LES)
    assert (item["lat"], item["long"]) == (les.latitude, les.longitude)
    assert "media_url" not in item


def test_phone_numbers_and_emails_typed_in_the_text_are_masked(client: Client) -> None:
    report = report_new(text="Hubungi saya di 0812-3456-7891 atau +62 813 9999 0000, "
                             "surel budi@contoh.id. Kejadian 12.05.2025 jam 21.30, rugi 1.500.000.")
    [item] = listing(client, service_request_id=str(report.pk))
    text = item["description"]
    assert "3456" not in text and "9999" not in text and "budi@contoh.id" not in text
    assert text.count("[") == 3
    assert "12.05.2025" in text and "1.500.000" in text  # dates and amounts stay


def test_a_sensitive_request_is_missing_from_every_answer(client: Client, post) -> None:
    answer = post(service_code="domestic_violence", description="Ibu Komang dipukul suaminya tiap malam.",
                  phone=PHONE)
    assert answer.status_code == 200, answer.content
    [body] = answer.json()
    report_id = body["service_request_id"]
    assert body["token"] and "129" in body["service_notice"]
    assert Report.objects.get(pk=report_id).sensitive
    for text in every_public_answer(client, report_id):
        assert "Komang" not in text and "domestic_violence" not in text and "81234567890" not in text
    assert report_id not in ids_of(listing(client, service_code="domestic_violence"))
    assert listing(client, service_request_id=str(report_id)) == []
    unknown = client.get(f"{V2}/requests/{report_id}.json")
    assert unknown.status_code == 404
    # A sealed request answers exactly as one that does not exist.
    assert unknown.content == client.get(f"{V2}/requests/999999999.json").content.replace(
        b"999999999", str(report_id).encode())


def test_a_category_made_sensitive_later_hides_its_old_requests(client: Client) -> None:
    report = report_new(category="missing_person", text="Anak tetangga belum pulang sejak kemarin.")
    assert listing(client, service_request_id=str(report.pk))
    report.category.sensitive, report.category.mediable = True, False
    report.category.save()
    assert listing(client, service_request_id=str(report.pk)) == []


def test_spam_is_not_listed_and_hidden_text_is_empty(client: Client) -> None:
    spam = report_new(text="Beli pulsa murah di sini!!!")
    rude = report_new(text="Kata-kata kasar tentang kepala desa.")
    bhabin = person("bhabin")
    report_moderate(actor=bhabin, report_id=spam.pk, spam=True, reason="iklan")
    report_moderate(actor=bhabin, report_id=rude.pk, hide=True, reason="kasar")
    items = listing(client, service_request_id=f"{spam.pk},{rude.pk}")
    assert ids_of(items) == {rude.pk}
    assert items[0]["description"] == ""
    for text in every_public_answer(client, spam.pk, rude.pk):
        assert "pulsa" not in text and "kasar" not in text
