"""The intake dialogue in Indonesian, driven through the signed SMS webhook."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User

from polmas.reports.models import Block, Conversation, InboundMessage, Report
from polmas.reports.selectors import public_status
from polmas.reports.services import report_set_status
from polmas.reports.tracking import value_hash

from .conftest import LES, SENDER, code_in

pytestmark = pytest.mark.django_db
SAMBANGAN_BULELENG = "51.08.05.2010"  # Sambangan, Sukasada: one of three villages of the name


def number_for(reply: str, label: str) -> str:
    """The number a question offers for `label` ("2" for "2. Sambangan (Sukasada, Buleleng)")."""
    match = re.search(rf"^(\d+)\. {re.escape(label)}$", reply, re.MULTILINE)
    assert match, reply
    return match.group(1)


def test_a_missing_category_is_asked_for_by_number(sms):
    asked = sms.say("LAPOR ada orang mencurigakan di Les")

    assert asked.startswith("Masalah apa? Balas dengan angka:\n1. Pencurian\n")
    assert "18. Lainnya" in asked
    assert Report.objects.count() == 0
    assert Conversation.objects.get().state["asking"] == "category"

    done = sms.say(number_for(asked, "Lainnya"))
    report = Report.objects.get()
    assert (report.category.code, report.village_id) == ("other", LES)
    assert report.description == "ada orang mencurigakan di Les"
    assert public_status(code=code_in(done))["report"] == report
    assert Conversation.objects.count() == 0


def test_a_wrong_number_asks_again(sms):
    sms.say("LAPOR ada kejadian di Les")

    again = sms.say("99")
    assert again.startswith("Balas dengan angka 1 sampai 18:\n1. Pencurian")
    assert Report.objects.count() == 0
    assert "Laporan diterima" in sms.say("tawuran")  # a keyword answers the question too
    assert Report.objects.get().category.code == "fight"


def test_an_ambiguous_village_is_chosen_by_number(sms):
    asked = sms.say("LAPOR maling masuk kebun di Sambangan")

    assert asked.startswith("Sambangan yang mana? Balas dengan angka:\n")
    assert "Sambangan (Babat, Lamongan)" in asked and "Sambangan (Bati Bati, Tanah Laut)" in asked
    assert Report.objects.count() == 0

    done = sms.say(number_for(asked, "Sambangan (Sukasada, Buleleng)"))
    report = Report.objects.get()
    assert (report.village_id, report.channel, report.category.code) == (SAMBANGAN_BULELENG, "sms", "theft")
    status = public_status(code=code_in(done))
    assert status["report"] == report and status["village"].name == "Sambangan"


def test_the_first_of_several_villages_is_number_1(sms):
    asked = sms.say("LAPOR curi motor di Sambangan")
    assert asked.splitlines()[1] == "1. Sambangan (Babat, Lamongan)"

    sms.say("1")
    assert Report.objects.get().village_id == "35.24.05.2021"


def test_a_district_after_a_comma_settles_the_village(sms):
    reply = sms.say("LAPOR curi motor di Sambangan, Sukasada")

    assert reply.startswith("Laporan diterima")
    assert Report.objects.get().village_id == SAMBANGAN_BULELENG


def test_a_missing_village_is_asked_for_by_name_and_typos_are_forgiven(sms):
    asked = sms.say("LAPOR motor saya dicuri tadi malam")
    assert asked == "Di desa atau kelurahan mana? Balas dengan namanya, mis. Les, Tejakula"

    unknown = sms.say("Xqzvw")
    assert unknown.startswith("Tidak ada desa bernama Xqzvw.")
    choice = sms.say("Kalibukbk")  # a letter short of Kalibukbuk
    if choice.startswith("Laporan diterima"):
        assert Report.objects.get().village_id == "51.08.06.2001"
    else:
        sms.say(number_for(choice, "Kalibukbuk (Buleleng, Buleleng)"))
        assert Report.objects.get().village_id == "51.08.06.2001"


def test_a_place_word_is_not_taken_for_a_village(sms):
    # A village named "Kebun" exists, but "di kebun" means a garden.
    asked = sms.say("LAPOR motor dicuri di kebun")

    assert asked.startswith("Di desa atau kelurahan mana?")
    assert Report.objects.count() == 0


def test_batal_cancels_and_nothing_is_stored(sms):
    sms.say("LAPOR ada kejadian di Les")

    assert sms.say("BATAL") == "Dibatalkan: tidak ada yang disimpan."
    assert Conversation.objects.count() == 0
    assert Report.objects.count() == 0
    assert sms.say("batal") == "Tidak ada laporan yang sedang ditulis. Kirim LAPOR untuk memulai."


def test_status_answers_the_public_status_of_a_code(sms):
    code = code_in(sms.say("LAPOR curi motor di Les"))
    report = Report.objects.get()

    assert sms.say(f"STATUS {code}") == f"Laporan #{report.pk}, Pencurian, Les: diterima."
    report_set_status(actor=User.objects.get(username="bhabin"), report_id=report.pk,
                      status="resolved", summary="Motor ditemukan dan dikembalikan.")
    typed = code.lower().replace("-", " ")
    assert sms.say(f"status {typed}", sender="+6281311112222") == (
        f"Laporan #{report.pk}, Pencurian, Les: selesai ditangani. Motor ditemukan dan dikembalikan.")


def test_status_with_a_wrong_or_missing_code(sms):
    assert sms.say("STATUS ABCD-EFGH-JKMN") == (
        "Tidak ada laporan dengan kode ABCD-EFGH-JKMN. Periksa kodenya dan coba lagi.")
    assert sms.say("STATUS") == "Kirim STATUS dan kode Anda, mis. STATUS ABCD-EFGH-JKMN."


def test_bantuan_explains_the_service(sms):
    reply = sms.say("BANTUAN")

    assert "LAPOR curi motor di Les" in reply and "STATUS" in reply and "BATAL" in reply
    assert "110" in reply
    assert Conversation.objects.count() == 0


def test_a_stray_greeting_gets_the_help_and_starts_nothing(sms):
    assert sms.say("halo").startswith("Polmas: laporkan masalah keamanan.")
    assert Conversation.objects.count() == 0


def test_a_sensitive_report_names_where_to_get_help_at_once(sms):
    asked = sms.say("LAPOR kdrt, suami pukul istri")
    assert asked.splitlines()[0] == (
        "Butuh bantuan sekarang? Polisi 110; SAPA 129 (UPTD PPA) untuk perempuan dan anak.")
    assert asked.splitlines()[1].startswith("Di desa atau kelurahan mana?")

    done = sms.say("Les")
    assert "129" in done and "110" in done
    code = code_in(done)
    report = Report.objects.get()
    assert report.sensitive and report.category.code == "domestic_violence"
    status = public_status(code=code)
    assert status["category"] is None
    assert sms.say(f"STATUS {code}") == f"Laporan #{report.pk}, Les: diterima."  # no category named


def test_anonim_keeps_no_number_on_the_report(sms):
    reply = sms.say("LAPOR ANONIM ada judi sabung ayam di Les")

    code = code_in(reply)
    assert "Nomor Anda tidak disimpan" in reply
    report = Report.objects.get()
    assert report.anonymous and report.category.code == "gambling"
    assert (report.reporter_phone, report.reply_channel) == ("", "")
    assert InboundMessage.objects.get().report is None  # nothing links the sender to it
    assert public_status(code=code)["report"] == report


def test_a_conversation_expires_after_a_day(sms):
    sms.say("LAPOR ada kejadian di Les")
    Conversation.objects.update(updated_at=Conversation.objects.get().updated_at - dt.timedelta(hours=25))

    assert sms.say("1").startswith("Polmas: laporkan")  # "1" no longer answers anything
    assert Conversation.objects.count() == 0
    assert Report.objects.count() == 0


def test_a_blocked_sender_is_refused_and_nothing_is_stored(sms):
    Block.objects.create(kind="phone", value_hash=value_hash("phone", SENDER), reason="spam")

    assert sms.say("LAPOR curi motor di Les") == "Laporan dari pengirim ini tidak diterima."
    assert Report.objects.count() == 0 and Conversation.objects.count() == 0


def test_too_many_reports_in_an_hour_are_refused(sms, settings):
    settings.POLMAS_REPORTS_PER_HOUR = 1
    assert sms.say("LAPOR curi motor di Les").startswith("Laporan diterima")

    refused = sms.say("LAPOR tawuran di Les")
    assert refused == "Terlalu banyak laporan dari sini dalam satu jam terakhir; silakan coba lagi nanti."
    assert Report.objects.count() == 1 and Conversation.objects.count() == 0


def test_a_foreign_number_is_pointed_to_the_web_form(sms):
    reply = sms.say("LAPOR curi motor di Les", sender="+61412345678")

    assert reply == ("Maaf, laporan lewat SMS atau WhatsApp hanya diterima dari nomor Indonesia. "
                     "Silakan gunakan http://testserver/lapor/")
    assert Report.objects.count() == 0 and Conversation.objects.count() == 0


def test_control_characters_are_refused(sms):
    assert sms.say("LAPOR curi\x00 motor di Les") == "Teks berisi karakter kontrol."
    assert Report.objects.count() == 0 and Conversation.objects.count() == 0


def test_a_new_lapor_restarts_the_dialogue(sms):
    sms.say("LAPOR ada kejadian di Sambangan")
    reply = sms.say("LAPOR curi motor di Les")

    assert reply.startswith("Laporan diterima")
    assert Report.objects.get().village_id == LES
    assert Conversation.objects.count() == 0


def test_a_common_village_name_offers_nine_and_asks_for_the_kecamatan(sms):
    from polmas.regions.models import Region

    asked = sms.say("LAPOR curi motor di desa Banjar")
    total = Region.objects.filter(level=4, name="Banjar").count()

    lines = asked.splitlines()
    assert lines[0] == "Banjar yang mana? Balas dengan angka:"
    assert len([line for line in lines if re.match(r"\d+\. Banjar \(", line)]) == 9
    assert lines[-1] == (f"Ada {total} desa dengan nama ini: atau tulis nama desa dengan kecamatannya, "
                         "mis. Banjar, Air Joman")
    sms.say("Banjar, Buleleng")
    report = Report.objects.get()
    assert report.village.name == "Banjar" and report.village_id.startswith("51.08.")
