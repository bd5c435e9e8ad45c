"""POST /hooks/sms/twilio/: signed form posts from Twilio, answered with TwiML."""

from urllib.parse import urlencode

import pytest
from django.db import connection

from polmas.reports.models import Conversation, InboundMessage, Report
from polmas.reports.selectors import public_status
from polmas.reports.tracking import value_hash

from .conftest import (
    LES,
    SENDER,
    SMS_PATH,
    code_in,
    recorded_form,
    stored,
    stored_columns,
    twilio_sign,
    twiml_text,
)

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def test_the_recorded_sms_is_stored_and_answered_with_its_tracking_code(sms):
    response = sms.post("LAPOR curi motor di Les")
    reply = twiml_text(response)

    code = code_in(reply)
    assert reply.startswith("Laporan diterima. Kode Anda: ")
    assert "STATUS " + code in reply and "http://testserver/lapor/status/" in reply
    report = Report.objects.get()
    assert (report.channel, report.category.code, report.village_id) == ("sms", "theft", LES)
    assert report.description == "curi motor di Les"
    assert (report.reporter_phone, report.reply_channel, report.anonymous) == (SENDER, "sms", False)
    status = public_status(code=code)
    assert status["report"] == report and status["status"] == "received"
    inbound = InboundMessage.objects.get()
    assert (inbound.channel, inbound.report, inbound.text()) == ("sms", report, reply)
    # The stored reply holds no tracking code: it is kept encrypted beside it.
    assert code not in inbound.reply and "[[kode]]" in inbound.reply
    assert code not in stored_columns("reports_inboundmessage", "reply", "secret")
    assert inbound.sender_hash == value_hash("phone", SENDER)
    assert Conversation.objects.count() == 0  # the dialogue is over


def test_a_replayed_delivery_gets_the_same_code_again(sms):
    sid = "SM" + "1" * 32
    first = twiml_text(sms.post("LAPOR curi motor di Les", sid=sid))
    again = twiml_text(sms.post("LAPOR curi motor di Les", sid=sid))
    assert again == first and public_status(code=code_in(again)) is not None
    assert Report.objects.count() == 1


def test_the_answer_is_well_formed_twiml_even_with_markup_in_the_text(sms):
    response = sms.post("<b>halo</b> & selamat")
    assert response.content.startswith(b"<?xml")
    assert "LAPOR curi motor di Les" in twiml_text(response)  # the help, escaped and parsed back


def test_it_refuses_a_tampered_body(sms):
    before = stored()
    response = sms.post("LAPOR curi motor di Les", tamper={"Body": "LAPOR judi di Les"})

    assert response.status_code == 403
    assert stored() == before


def test_it_refuses_a_tampered_sender(sms):
    before = stored()
    response = sms.post("LAPOR curi motor di Les", tamper={"From": "+6281299999999"})

    assert response.status_code == 403
    assert stored() == before


def test_it_refuses_a_signature_made_for_another_url(sms):
    before = stored()
    other = sms.post("LAPOR curi motor di Les", signed_url="http://testserver/hooks/whatsapp/")
    query = sms.post("LAPOR curi motor di Les", signed_url=f"http://testserver{SMS_PATH}?x=1")
    https = sms.post("LAPOR curi motor di Les", signed_url=f"https://testserver{SMS_PATH}")

    assert [other.status_code, query.status_code, https.status_code] == [403, 403, 403]
    assert stored() == before


def test_it_refuses_a_missing_signature_or_one_made_with_another_token(client):
    fields = recorded_form()
    before = stored()
    unsigned = client.post(SMS_PATH, urlencode(fields), content_type=FORM)
    wrong = client.post(SMS_PATH, urlencode(fields), content_type=FORM, headers={
        "X-Twilio-Signature": twilio_sign(f"http://testserver{SMS_PATH}", fields, token="guess")})

    assert (unsigned.status_code, wrong.status_code) == (403, 403)
    assert stored() == before


def test_the_url_the_provider_saw_is_used_behind_a_tls_proxy(sms, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    before = stored()
    plain = sms.post("LAPOR curi motor di Les", signed_url=f"https://testserver{SMS_PATH}")
    proxied = sms.post("LAPOR curi motor di Les", signed_url=f"https://testserver{SMS_PATH}",
                       X_Forwarded_Proto="https", Host="testserver")

    assert plain.status_code == 403
    assert "Laporan diterima" in twiml_text(proxied)
    assert "https://testserver/lapor/status/" in twiml_text(proxied)
    assert stored()["reports"] == before["reports"] + 1


def test_a_replayed_delivery_is_answered_once_and_stored_once(sms):
    first = twiml_text(sms.post("LAPOR curi motor di Les", sid="SM" + "a" * 32))
    again = twiml_text(sms.post("LAPOR curi motor di Les", sid="SM" + "a" * 32))

    assert again == first and code_in(first)
    assert Report.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_without_an_auth_token_it_is_not_configured_and_accepts_nothing(sms, settings):
    settings.POLMAS_TWILIO_AUTH_TOKEN = ""
    before = stored()
    response = sms.post("LAPOR curi motor di Les")

    assert response.status_code == 503
    assert stored() == before


def test_another_account_is_refused(sms, settings):
    settings.POLMAS_TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    before = stored()

    assert sms.post("LAPOR curi motor di Les").status_code == 403
    assert stored() == before


def test_malformed_deliveries_get_400_and_nothing_is_stored(client, sms):
    before = stored()
    url = f"http://testserver{SMS_PATH}"
    as_json = client.post(SMS_PATH, {"Body": "x"}, content_type="application/json",
                          headers={"X-Twilio-Signature": twilio_sign(url, [])})
    no_sid = [(k, v) for k, v in recorded_form() if k not in ("MessageSid", "SmsSid")]
    missing = client.post(SMS_PATH, urlencode(no_sid), content_type=FORM,
                          headers={"X-Twilio-Signature": twilio_sign(url, no_sid)})
    bad_sender = sms.post("LAPOR curi motor di Les", sender="Polmas'--")
    bad_sid = sms.post("LAPOR curi motor di Les", sid="SM<script>")

    assert [r.status_code for r in (as_json, missing, bad_sender, bad_sid)] == [400, 400, 400, 400]
    assert stored() == before


def test_get_is_not_allowed(client):
    assert client.get(SMS_PATH).status_code == 405


def test_an_oversized_message_is_refused_with_a_clear_reply(sms):
    reply = sms.say("LAPOR curi motor di Les " + "x" * 5000)

    assert reply == "Pesan Anda lebih panjang dari 5000 karakter; silakan kirim yang lebih pendek."
    assert Report.objects.count() == 0
    assert Conversation.objects.count() == 0


def test_a_picture_without_text_gets_a_polite_reply(client):
    fields = recorded_form("twilio_mms.form")
    response = client.post(SMS_PATH, urlencode(fields), content_type=FORM, headers={
        "X-Twilio-Signature": twilio_sign(f"http://testserver{SMS_PATH}", fields)})

    assert twiml_text(response) == "Maaf, kami hanya dapat membaca pesan teks (dan lokasi di WhatsApp)."
    assert Report.objects.count() == 0 and Conversation.objects.count() == 0


def test_the_senders_number_is_stored_only_encrypted(sms):
    sms.say("LAPOR ada kejadian di Les")  # category missing: a conversation is kept
    conversation = Conversation.objects.get()
    assert conversation.sender == SENDER

    with connection.cursor() as cursor:
        cursor.execute("SELECT sender, sender_hash FROM reports_conversation")
        raw_sender, raw_hash = cursor.fetchone()
    assert "81234567890" not in raw_sender and "81234567890" not in raw_hash


def test_a_huge_request_is_refused_before_parsing(client, sms):
    before = stored()
    too_big = client.post(SMS_PATH, "Body=" + "x" * 3_000_000, content_type=FORM,
                          headers={"X-Twilio-Signature": "x"})
    too_many = client.post(SMS_PATH, "&".join(f"f{i}=1" for i in range(1500)), content_type=FORM,
                           headers={"X-Twilio-Signature": "x"})

    assert (too_big.status_code, too_many.status_code) == (400, 400)
    assert stored() == before


def test_a_village_at_the_end_of_a_long_story_is_found(sms):
    story = " ".join(["tadi malam saya pulang kerja lewat di jalan"] * 100) + ". Motor saya dicuri di Les"

    assert sms.say("LAPOR " + story).startswith("Laporan diterima")
    assert Report.objects.get().village_id == LES
