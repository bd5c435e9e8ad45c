"""/lapor/publik/: the public map and list. Village only, never a house; no sensitive, held,
hidden or spam report; no resident's text or contact. "Me too" counts once a person."""

import json
import re

import pytest
from django.test import Client

from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import MeToo, Report

pytestmark = pytest.mark.django_db

LES = "51.08.09.2007"
SECRET_TEXT = "Rumah Pak Wayan nomor 12 dibobol, telepon saya 081234567890"


def made(**fields: object) -> Report:
    data: dict = {"category": "theft", "description": SECRET_TEXT, "channel": "api", "village": LES,
                  "latitude": -8.1391, "longitude": 115.3668, "anonymous": False, "name": "Wayan Sudarma",
                  "phone": "081234567890", "reply_channel": "sms"}
    data.update(fields)
    return report_submit(ReportInput(**data)).report


def test_it_lists_a_published_report_at_its_village_without_private_data(client: Client):
    report = made()

    response = client.get("/lapor/publik/", {"category": "theft"})

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="r-{report.pk}"' in body
    assert "Pencurian · Les" in body
    for private in ("Wayan", "081234567890", "dibobol", "-8.1391", "115.3668"):
        assert private not in body, private
    places = json.loads(re.search(r'id="public-places" type="application/json">(.*?)</script>',
                                  body).group(1))
    les = next(p for p in places if p["code"] == LES)
    assert (round(les["lat"], 4), round(les["lon"], 4)) != (-8.1391, 115.3668)  # the village centre


def test_it_never_lists_sensitive_held_hidden_or_spam_reports(client: Client):
    sealed = made(category="domestic_violence")
    held, hidden, spam = made(), made(), made()
    Report.objects.filter(pk=held.pk).update(held=True)
    Report.objects.filter(pk=hidden.pk).update(hidden=True)
    Report.objects.filter(pk=spam.pk).update(spam=True)

    pages = "".join(client.get("/lapor/publik/", {"page": n}).content.decode() for n in (1, 2, 3))

    for report in (sealed, held, hidden, spam):
        assert f'id="r-{report.pk}"' not in pages
    assert client.post(f"/lapor/publik/{sealed.pk}/saya-juga/").status_code == 404


def test_filters_and_search_narrow_the_list(client: Client):
    report = made()
    Report.objects.filter(pk=report.pk).update(public_summary="Patroli malam ditambah di banjar kaja")

    found = client.get("/lapor/publik/", {"q": "banjar kaja"}).content.decode()
    assert f'id="r-{report.pk}"' in found
    searched = client.get("/lapor/publik/", {"q": "dibobol"}).content.decode()  # the resident's text
    assert searched.count('class="card public-report"') == 0
    resolved = client.get("/lapor/publik/", {"status": "resolved", "category": "theft"}).content.decode()
    assert f'id="r-{report.pk}"' not in resolved


@pytest.mark.parametrize("params", [{"status": "nope"}, {"category": "domestic_violence"},
                                    {"page": "0"}, {"page": "x"}, {"q": "x" * 101}])
def test_bad_filters_are_400_naming_the_field(client: Client, params: dict):
    response = client.get("/lapor/publik/", params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_me_too_counts_once_a_person_and_adds_no_report(client: Client):
    report = made()
    reports = Report.objects.count()

    first = client.post(f"/lapor/publik/{report.pk}/saya-juga/", {"next": "?category=theft&page=1"})
    again = client.post(f"/lapor/publik/{report.pk}/saya-juga/")
    other = Client(REMOTE_ADDR="198.51.100.7")
    other.post(f"/lapor/publik/{report.pk}/saya-juga/")

    assert first.status_code == 302
    assert first["Location"] == f"/lapor/publik/?category=theft&page=1#r-{report.pk}"
    assert again.status_code == 302
    assert MeToo.objects.filter(report=report).count() == 2
    assert Report.objects.count() == reports
    en = {"Accept-Language": "en"}
    page = client.get("/lapor/publik/", {"category": "theft"}, headers=en).content.decode()
    assert f'action="/lapor/publik/{report.pk}/saya-juga/"' not in page  # already said
    article = page[page.index(f'id="r-{report.pk}"'):]
    assert "2 more people affected" in article[:article.index("</article>")]


def test_me_too_on_a_closed_report_changes_nothing(client: Client):
    report = made()
    Report.objects.filter(pk=report.pk).update(status="resolved")
    client.post(f"/lapor/publik/{report.pk}/saya-juga/")
    assert not MeToo.objects.filter(report=report).exists()


def test_me_too_refuses_a_get(client: Client):
    report = made()
    assert client.get(f"/lapor/publik/{report.pk}/saya-juga/").status_code == 405
    assert not MeToo.objects.filter(report=report).exists()


def test_a_next_that_leaves_the_page_is_ignored(client: Client):
    report = made()
    response = client.post(f"/lapor/publik/{report.pk}/saya-juga/", {"next": "//evil.example/"})
    assert response["Location"] == f"/lapor/publik/#r-{report.pk}"
