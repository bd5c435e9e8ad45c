"""The report form at /lapor/: what a resident sees and what is stored when they send it."""

import re

import pytest
from django.test import Client

from polmas.regions.models import Region
from polmas.reports.models import Report
from polmas.reports.tracking import tracking_hash

from .portaltools import LES, form, send, tracking_code

pytestmark = pytest.mark.django_db


def test_the_form_offers_anonymous_first_and_says_what_stays_private(client: Client):
    response = client.get("/lapor/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Laporkan masalah keamanan</h1>" in body
    first, second = re.findall(r'<input type="radio" name="anonymous" value="(\d)"[^>]*>', body)
    assert (first, second) == ("1", "0")
    assert re.search(r'<input type="radio" name="anonymous" value="1"[^>]*checked', body)
    assert "Lapor tanpa identitas: tanpa nama, tanpa kontak" in body
    assert "Apa yang tetap rahasia" in body
    assert "disimpan terenkripsi" in body
    assert 'enctype="multipart/form-data"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert response["Cache-Control"].count("no-store") == 1


def test_the_categories_come_in_groups_with_the_sensitive_ones_marked(client: Client):
    body = client.get("/lapor/").content.decode()

    assert '<optgroup label="Harta benda">' in body
    assert '<option value="theft">Pencurian</option>' in body
    assert '<option value="domestic_violence">Kekerasan dalam rumah tangga (rahasia)</option>' in body
    assert '<option value="theft">Pencurian (rahasia)</option>' not in body
    assert 'href="tel:110"' in body and 'href="tel:129"' in body


def test_the_page_is_small_and_needs_nothing_from_elsewhere(client: Client):
    body = client.get("/lapor/").content.decode()

    assert len(body.encode()) < 20_000
    assert "http://" not in body and "https://" not in body
    assert "<style" not in body and " style=" not in body
    assert re.search(r'<script src="/static/portal/report.js" nonce="[^"]+" defer></script>', body)
    assert body.count("<script") == 1
    # Without JavaScript the location button stays hidden.
    assert re.search(r'<div class="geo" id="geo" hidden', body)


def test_an_anonymous_report_is_stored_with_no_identity(client: Client):
    before = Report.objects.count()

    response = send(client, phone="081234567890", name="Wayan")  # typed, then anonymous chosen

    assert response.status_code == 302 and response["Location"] == "/lapor/terkirim/"
    assert Report.objects.count() == before + 1
    report = Report.objects.latest("pk")
    assert report.channel == "web"
    assert report.village_id == LES
    assert report.category.code == "theft"
    assert report.description == "Sepeda motor hilang dari depan warung semalam."
    assert report.anonymous is True
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")
    assert report.submitted_by is None
    assert report.client_key and "127.0.0.1" not in report.client_key


def test_the_tracking_code_is_shown_once_and_never_in_a_url(client: Client):
    response = send(client)
    confirmation = client.get("/lapor/terkirim/")
    body = confirmation.content.decode()
    code = re.search(r'id="tracking-code">([^<]+)<', body).group(1)

    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert Report.objects.latest("pk").tracking_hash == tracking_hash(code)
    assert code not in response["Location"]
    assert "Tulis kode ini sekarang." in body
    assert 'action="/lapor/status/"' in body
    assert "no-store" in confirmation["Cache-Control"]
    again = client.get("/lapor/terkirim/").content.decode()
    assert code not in again
    assert "Tidak ada yang dapat ditampilkan" in again


def test_the_code_opens_the_status_page(client: Client):
    send(client)
    code = tracking_code(client)

    body = client.post("/lapor/status/", {"code": code.lower().replace("-", " ")}).content.decode()

    report = Report.objects.latest("pk")
    assert f"Laporan no. {report.pk}" in body
    assert "Pencurian" in body
    assert '<span class="village-name">Les</span>' in body
    assert ">diterima</strong>" in body


def test_a_village_named_in_many_places_is_chosen_from_a_list(client: Client):
    sidomulyo = set(Region.objects.filter(level=4, name="Sidomulyo").values_list("code", flat=True))
    assert len(sidomulyo) > 1
    before = Report.objects.count()

    first = send(client, place="Sidomulyo", client_uuid="6a1c1d1e-3f55-4a8a-9d0f-0a4c3e9c1b11")
    body = first.content.decode()
    offered = re.findall(r'name="village_choice" value="([\d.]+)"', body)

    assert first.status_code == 200
    assert "Beberapa desa cocok dengan “Sidomulyo”. Desa mana yang Anda maksud?" in body
    assert 1 < len(offered) <= 20 and set(offered) <= sidomulyo
    assert Report.objects.count() == before
    picked = Region.objects.select_related("parent__parent").get(code=offered[1])
    assert f"{picked.parent.name}" in body and picked.parent.parent.name in body

    second = send(client, place="Sidomulyo", village_choice=picked.code,
                  client_uuid="6a1c1d1e-3f55-4a8a-9d0f-0a4c3e9c1b11")

    assert second.status_code == 302
    assert Report.objects.count() == before + 1
    assert Report.objects.latest("pk").village_id == picked.code


def test_a_chosen_village_is_kept_while_other_fields_are_fixed(client: Client):
    choices = re.findall(r'name="village_choice" value="([\d.]+)"',
                         send(client, place="Sidomulyo").content.decode())
    before = Report.objects.count()

    back = send(client, place="Sidomulyo", village_choice=choices[2], description="").content.decode()
    kept = re.search(r'<input type="hidden" name="village_choice" value="([\d.]+)">', back)
    fixed = send(client, place="Sidomulyo", village_choice=kept.group(1) if kept else "")

    assert "Desa ditemukan:" in back and 'name="village_choice" value="' + choices[0] not in back
    assert kept and kept.group(1) == choices[2]
    assert fixed.status_code == 302
    assert Report.objects.count() == before + 1
    assert Report.objects.latest("pk").village_id == choices[2]


def test_a_district_after_a_comma_settles_which_village(client: Client):
    village = Region.objects.select_related("parent").filter(level=4, name="Sidomulyo").last()
    assert village is not None

    response = send(client, place=f"sidomulyo, {village.parent.name}")

    assert response.status_code == 302
    assert Report.objects.latest("pk").village_id == village.pk


def test_a_choice_from_another_search_is_not_taken(client: Client):
    before = Report.objects.count()

    response = send(client, place="Sidomulyo", village_choice=LES)

    assert response.status_code == 200
    assert Report.objects.count() == before
    assert 'name="village_choice"' in response.content.decode()


def test_my_location_finds_the_nearest_village(client: Client):
    response = send(client, place="", latitude="-8.1471", longitude="115.3666")

    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert report.village_id == LES
    assert (report.latitude, report.longitude) == (-8.1471, 115.3666)


def test_a_typed_village_wins_over_the_location(client: Client):
    send(client, place="Caturtunggal", latitude="-8.1471", longitude="115.3666")

    report = Report.objects.latest("pk")
    assert report.village_id == "34.04.07.2001"
    assert report.latitude is None and report.longitude is None


def test_the_time_is_read_in_the_villages_zone(client: Client):
    send(client, date="2025-03-05", time="14:30")

    occurred = Report.objects.latest("pk").occurred_at
    assert occurred is not None
    assert occurred.isoformat() == "2025-03-05T06:30:00+00:00"  # 14.30 WITA


def test_contact_left_is_stored_and_the_report_is_not_anonymous(client: Client):
    send(client, anonymous="0", name="Ni Luh Sari", phone="0812-3456-7890", reply_channel="sms")
    body = client.get("/lapor/terkirim/").content.decode()

    report = Report.objects.latest("pk")
    assert report.anonymous is False
    assert report.reporter_name == "Ni Luh Sari"
    assert report.reporter_phone == "081234567890"
    assert report.reply_channel == "sms"
    assert "kontak ditinggalkan; jawaban lewat SMS" in body


def test_a_signed_in_resident_reporting_anonymously_is_not_linked(login):
    client = login("bhabin")

    send(client)

    assert Report.objects.latest("pk").submitted_by is None


def test_a_form_sent_twice_is_stored_once(client: Client):
    before = Report.objects.count()
    data = form()

    client.post("/lapor/", data)
    again = client.post("/lapor/", data)

    assert again.status_code == 302
    assert Report.objects.count() == before + 1
    first = tracking_code(client)  # a code is shown, once
    client.post("/lapor/", data)
    # The same form from the same address: a fresh code replacing the first (ADR 16); from
    # elsewhere only "already received" (test_resend_code.py).
    assert tracking_code(client) != first
    assert Report.objects.count() == before + 1


def test_a_sensitive_report_shows_where_to_get_help_at_once(client: Client):
    send(client, category="domestic_violence", description="Tetangga saya sering dipukul suaminya.")
    body = client.get("/lapor/terkirim/").content.decode()

    assert Report.objects.latest("pk").sensitive is True
    assert 'href="tel:110">110</a>' in body
    assert 'href="tel:129">SAPA 129</a>' in body
    assert "UPTD PPA" in body
    assert "Laporan jenis ini tidak pernah dipublikasikan." in body
    assert "Kekerasan dalam rumah tangga" not in body
    assert "perkara sensitif" in body


def test_the_help_shows_when_a_sensitive_category_comes_back(client: Client):
    fresh = client.get("/lapor/").content.decode()
    back = send(client, category="child_abuse", description="").content.decode()

    assert re.search(r'<div id="sensitive-help" data-codes="[a-z_ ]*child_abuse[a-z_ ]*" hidden>', fresh)
    codes = "child_abuse domestic_violence sexual_violence trafficking"
    assert f'<div id="sensitive-help" data-codes="{codes}">' in back
    assert "Tempat meminta bantuan sekarang" in back


def test_the_page_speaks_english_on_request(client: Client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/lapor/"})
    body = client.get("/lapor/").content.decode()

    assert switched["Location"] == "/lapor/"
    assert '<html lang="en">' in body
    assert "<h1>Report a security problem</h1>" in body
    assert "Report anonymously: no name, no contact" in body
    assert '<option value="theft">Theft</option>' in body
    errors = send(client, category="nonsense").content.decode()
    assert '<a href="#id_category">Category</a>: Unknown category nonsense.' in errors
    send(client)
    assert "Write this code down now." in client.get("/lapor/terkirim/").content.decode()


def test_the_form_refuses_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    before = Report.objects.count()

    response = client.post("/lapor/", form())

    assert response.status_code == 403
    assert Report.objects.count() == before


def test_too_many_reports_from_one_address_are_refused(client: Client, settings):
    settings.POLMAS_REPORTS_PER_HOUR = 1
    first = client.post("/lapor/", form(), REMOTE_ADDR="10.9.8.7")
    before = Report.objects.count()

    response = client.post("/lapor/", form(), REMOTE_ADDR="10.9.8.7")
    other = client.post("/lapor/", form(), REMOTE_ADDR="10.9.8.8")

    assert first.status_code == 302
    assert response.status_code == 429
    assert "Terlalu banyak laporan dari sini" in response.content.decode()
    assert other.status_code == 302
    assert Report.objects.count() == before + 1
