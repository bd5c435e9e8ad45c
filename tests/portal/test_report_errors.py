"""Bad input on the report form: each field says what is wrong, in the resident's language,
and nothing is stored."""

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from django.test import Client

from polmas.regions.models import Region
from polmas.reports.models import Report

from .portaltools import form, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


def summary(body: str) -> list[str]:
    """The lines of the error summary at the top of the form, tags stripped."""
    box = re.search(r'<div class="errors" role="alert" id="errors">(.*?)</div>', body, re.S)
    assert box, "no error summary on the page"
    return [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", box.group(1))]


def refused(client: Client, media: Path, **changes: object) -> list[str]:
    """Send the form with `changes`; check that nothing was stored; the summary lines."""
    before = Report.objects.count()
    response = client.post("/lapor/", form(**changes))
    assert response.status_code == 400, response.status_code
    assert Report.objects.count() == before
    assert not media.exists() or not any(media.rglob("*.*"))
    return summary(response.content.decode())


@pytest.mark.parametrize("changes,line", [
    ({"category": "teleportation"}, "Kategori: Kategori teleportation tidak dikenal."),
    ({"category": ""}, "Kategori: Pilih kategori."),
    ({"description": "   "}, "Apa yang terjadi: Ceritakan apa yang terjadi."),
    ({"description": "x" * 5001}, "Apa yang terjadi: Teks lebih panjang dari 5000 karakter."),
    ({"place": "Qwzxv Jklmnop"}, "Tempat: Desa bernama “Qwzxv Jklmnop” tidak ditemukan. Periksa ejaannya, "
                                 "atau tambahkan kecamatannya setelah koma."),
    ({"place": ""}, "Tempat: Ketik nama desanya."),
    ({"place": "99.99.99.9999"}, "Tempat: Tidak ada desa dengan kode 99.99.99.9999."),
    ({"place": "", "latitude": "51.5072", "longitude": "-0.1276"},
     "Tempat: Lokasi berada di luar Indonesia."),
    ({"place": "", "latitude": "nan", "longitude": "115.4"},
     "Tempat: Lokasi Anda tidak dapat dibaca; coba lagi atau ketik nama desanya."),
    ({"date": "2031-01-01"}, "Waktu: Waktunya berada di masa depan."),
    ({"date": "kemarin"}, "Waktu: Masukkan tanggal yang valid."),
    ({"time": "14:30"}, "Waktu: Isi tanggal beserta jamnya."),
    ({"anonymous": "0", "phone": "12345", "reply_channel": "sms"},
     "Telepon: 12345 bukan nomor telepon Indonesia (08... atau +628..., 9 sampai 15 digit)."),
    ({"anonymous": "0", "email": "bukan-surel", "reply_channel": "email"},
     "Surel: bukan-surel bukan alamat surel yang sah."),
    ({"anonymous": "0", "name": "Made"},
     "Telepon: Isi nomor telepon atau alamat surel, atau pilih lapor tanpa identitas."),
    ({"anonymous": "0", "reply_channel": "pigeon"},
     "Balas saya lewat: Pilih SMS, WhatsApp, surel, atau tidak ada."),
])
def test_each_bad_field_is_named_with_its_reason(client: Client, _media: Path, changes: dict, line: str):
    assert line in refused(client, _media, **changes)


def test_a_future_date_is_judged_by_the_villages_clock(client: Client, _media: Path):
    papua = Region.objects.filter(level=4, utc_offset=9).order_by("code").first()
    assert papua is not None
    # A few minutes ago in Papua (WIT) is still two hours ahead in Jakarta (WIB).
    wit = dt.timezone(dt.timedelta(hours=9))
    just_now = dt.datetime.now(dt.UTC).astimezone(wit) - dt.timedelta(minutes=5)
    in_two_days = just_now.date() + dt.timedelta(days=2)

    accepted = client.post("/lapor/", form(place=papua.code, date=just_now.date().isoformat(),
                                           time=just_now.strftime("%H:%M")))
    lines = refused(client, _media, place=papua.code, date=in_two_days.isoformat())

    assert accepted.status_code == 302
    stored = Report.objects.latest("pk").occurred_at
    assert stored is not None and stored.utcoffset() == dt.timedelta(0)
    assert stored.astimezone(wit).strftime("%H:%M") == just_now.strftime("%H:%M")
    assert lines == ["Waktu: Waktunya berada di masa depan."]


def test_every_wrong_field_is_listed_at_once(client: Client, _media: Path):
    lines = refused(client, _media, category="x", description="", place="Qwzxv Jklmnop",
                    anonymous="0", phone="12", photo=upload("foto.jpg", b"bukan gambar"))

    assert [line.split(":")[0] for line in lines] == ["Kategori", "Apa yang terjadi", "Tempat", "Foto",
                                                      "Telepon"]


def test_a_text_file_named_jpg_is_not_a_photo(client: Client, _media: Path):
    lines = refused(client, _media, photo=upload("foto.jpg", b"Ini surat, bukan foto.\n" * 20))

    assert lines == ["Foto: Berkas bukan gambar yang dapat dibaca."]


def test_a_photo_over_5_mb_is_refused_without_being_read(client: Client, _media: Path, monkeypatch):
    def must_not_run(*args: object) -> None:
        raise AssertionError("an oversized upload reached the image decoder")

    monkeypatch.setattr("polmas.reports.intake.photo_clean", must_not_run)
    monkeypatch.setattr("polmas.portal.submission.photo_probe", must_not_run)
    big = b"\xff\xd8\xff\xe0" + b"\0" * (5 * 1024 * 1024)

    lines = refused(client, _media, photo=upload("besar.jpg", big))

    assert lines == ["Foto: Foto lebih besar dari 5 MB."]


def test_the_field_errors_sit_by_their_fields(client: Client):
    body = client.post("/lapor/", form(category="x", place="Qwzxv Jklmnop")).content.decode()

    category = body.split('<label for="id_category">')[1].split("</div>")[0]
    place = body.split('<label for="id_place">')[1].split("</fieldset>")[0]
    assert "Kategori x tidak dikenal." in category
    assert "tidak ditemukan" in place
    assert 'aria-invalid="true"' in category


def test_a_good_photo_sent_back_with_other_errors_must_be_chosen_again(client: Client):
    photo = upload("f.jpg", jpeg_with_gps())
    body = client.post("/lapor/", form(description="", photo=photo)).content.decode()

    assert "Foto Anda tidak tersimpan saat formulir dikembalikan: pilih lagi fotonya." in body


def test_what_was_typed_comes_back_with_the_errors(client: Client):
    body = client.post("/lapor/", form(category="x", description="Ada <script>alert(1)</script> di sini")
                       ).content.decode()

    assert "Ada &lt;script&gt;alert(1)&lt;/script&gt; di sini</textarea>" in body
    assert "<script>alert(1)" not in body


def test_errors_speak_english_on_request(client: Client, _media: Path):
    client.post("/i18n/setlang/", {"language": "en", "next": "/lapor/"})

    lines = refused(client, _media, description="", place="Qwzxv Jklmnop", date="2031-01-01")

    assert lines == [
        "What happened: Say what happened.",
        "Where: No village called “Qwzxv Jklmnop” was found. Check the spelling, or add the district "
        "after a comma.",
        "When: The time lies in the future.",
    ]


def test_hostile_extras_do_not_break_the_form(client: Client):
    before = Report.objects.count()

    response = client.post("/lapor/", form(client_uuid="not-a-uuid", anonymous="maybe",
                                           village_choice="'; DROP TABLE x; --", description="a\0b"))
    mangled_uuid = client.post("/lapor/", form(client_uuid="' OR 1=1 --"))

    assert response.status_code == 400
    assert "Apa yang terjadi: Karakter null tidak diizinkan." in summary(response.content.decode())
    assert mangled_uuid.status_code == 302
    assert Report.objects.count() == before + 1
    assert Report.objects.latest("pk").client_uuid is None
