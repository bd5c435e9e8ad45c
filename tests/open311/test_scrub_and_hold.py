"""Contact details written in other ways, NIK-like numbers and names never reach the public
listing; a sensitive matter filed under an ordinary category is held until a moderator
releases it (issue 14, item 8)."""

import pytest
from django.test import Client

from conftest import person
from polmas.reports.models import Report
from polmas.reports.services import report_moderate

from .tools import V2, ids_of, listing, report_new

pytestmark = pytest.mark.django_db

# (text, what must not be published)
LEAKY = [
    ("Hubungi 0812 3456 7890 kalau ada info.", ["3456"]),
    ("Pelaku kabur, lapor ke +62 813.9999.0000 segera.", ["9999"]),
    ("Nomor saya nol delapan satu dua tiga empat lima enam tujuh delapan sembilan.",
     ["tujuh delapan sembilan"]),
    ("Call me: zero eight one two three four five six seven eight nine.", ["seven eight nine"]),
    ("Kirim bukti ke budi at gmail dot com ya.", ["budi", "gmail"]),
    ("Kirim bukti ke budi [at] gmail [dot] com ya.", ["budi", "gmail"]),
    ("Kirim bukti ke budi@gmail .com ya.", ["budi", "gmail"]),
    ("KTP pelaku 5108 0912 3456 0001 tertinggal.", ["0912 3456", "5108"]),
    ("Nama saya Ketut Ardana, motor saya dicuri.", ["Ketut", "Ardana"]),
    ("Motor Pak Nyoman Suarta dicuri semalam.", ["Nyoman", "Suarta"]),
]


def published(client: Client, report: Report) -> list[str]:
    """The description of `report` in the JSON and the XML listing, and in its own answer."""
    texts = [listing(client, fmt, service_request_id=str(report.pk))[0]["description"]
             for fmt in ("json", "xml")]
    texts.append(client.get(f"{V2}/requests/{report.pk}.json").json()[0]["description"])
    return texts


@pytest.mark.parametrize(("text", "secrets"), LEAKY)
def test_contact_details_names_and_nik_are_scrubbed(client: Client, text, secrets) -> None:
    report = report_new(category="theft", text=text)
    for out in published(client, report):
        assert "[dihapus]" in out
        for secret in secrets:
            assert secret not in out, out


def test_the_reporters_own_name_is_scrubbed(client: Client, post) -> None:
    answer = post(first_name="Komang", last_name="Ayu", phone="081234567890",
                  description="Tolong, dompet Komang hilang di pasar.")
    report = Report.objects.get(pk=answer.json()[0]["service_request_id"])
    for out in published(client, report):
        assert "Komang" not in out and "dompet" in out


@pytest.mark.parametrize("text", [
    "Rumah No. 12 di Jl. Merdeka kemasukan maling tanggal 12-03-2025 jam 21.30.",
    "Kerugian Rp 1.500.000; Pak RT sudah tahu.",
    "On 2025-03-01 at 20:30 two men took a motorbike near house 17.",
])
def test_ordinary_text_is_published_as_written(client: Client, text) -> None:
    report = report_new(category="theft", text=text)
    assert not report.held
    assert published(client, report) == [text] * 3


SENSITIVE_UNDER_FIGHT = [
    "Tetangga ribut lagi, istrinya dipukul suami sampai memar.",
    "KDRT di rumah sebelah tiap malam, ibu itu menangis.",
    "Anak di bawah umur dipaksa kerja malam di warung.",
    "The woman next door is beaten by her husband every night.",
    "Two girls were sexually assaulted near the field.",
]


@pytest.mark.parametrize("text", SENSITIVE_UNDER_FIGHT)
def test_a_sensitive_account_under_an_ordinary_category_is_held(client: Client, text) -> None:
    report = report_new(category="fight", text=text)
    assert report.held and not report.sensitive
    assert report.pk not in ids_of(listing(client)) | ids_of(listing(client, service_code="fight"))
    assert listing(client, "xml", service_request_id=str(report.pk)) == []
    assert client.get(f"{V2}/requests/{report.pk}.json").status_code == 404


def test_a_moderator_releases_a_held_report(client: Client) -> None:
    report = report_new(category="fight", text="Dua pemuda berkelahi; katanya soal KDRT kakaknya.")
    assert report.held
    report_moderate(actor=person("bhabin"), report_id=report.pk, held=False,
                    reason="Perkelahian pemuda, bukan KDRT")
    assert report.pk in ids_of(listing(client, service_code="fight"))
    report.refresh_from_db()
    assert not report.held


@pytest.mark.parametrize("text", [
    "Dua pemuda berkelahi di lapangan, saling pukul.",
    "Anak-anak tawuran sepulang sekolah.",
])
def test_an_ordinary_fight_is_published(client: Client, text) -> None:
    report = report_new(category="fight", text=text)
    assert not report.held and report.pk in ids_of(listing(client, service_code="fight"))
