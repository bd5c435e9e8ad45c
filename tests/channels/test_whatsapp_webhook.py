"""GET/POST /hooks/whatsapp/: the Cloud API's subscription check and signed JSON deliveries;
replies leave through the outbound queue."""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from polmas.reports.models import Conversation, InboundMessage, OutboundMessage, Report
from polmas.reports.selectors import public_status

from .conftest import (
    LES,
    SENDER,
    VERIFY_TOKEN,
    WA_PATH,
    code_in,
    meta_sign,
    recorded_json,
    stored,
    stored_columns,
)

pytestmark = pytest.mark.django_db


def verify(client, **params):
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    query.update(params)
    return client.get(WA_PATH, {k: v for k, v in query.items() if v is not None})


def test_the_subscription_check_echoes_the_challenge(client):
    response = verify(client)

    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


def test_the_subscription_check_refuses_a_wrong_token_or_mode(client):
    assert verify(client, **{"hub.verify_token": "guess"}).status_code == 403
    assert verify(client, **{"hub.mode": "unsubscribe"}).status_code == 403
    assert verify(client, **{"hub.verify_token": None}).status_code == 403
    assert verify(client, **{"hub.challenge": "<script>"}).status_code == 400


def test_without_a_verify_token_the_check_is_not_configured(client, settings):
    settings.POLMAS_WHATSAPP_VERIFY_TOKEN = ""
    assert verify(client, **{"hub.verify_token": ""}).status_code == 503


def test_the_recorded_message_is_stored_and_the_reply_queued(wa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = wa.post(recorded_json("whatsapp_text.json"))

    assert response.status_code == 200
    assert response.json() == {"received": 1}
    report = Report.objects.get()
    assert (report.channel, report.category.code, report.village_id) == ("whatsapp", "theft", LES)
    assert (report.reporter_phone, report.reply_channel, report.anonymous) == (SENDER, "whatsapp", False)
    reply = OutboundMessage.objects.get()
    assert (reply.channel, reply.to, reply.report, reply.status) == ("whatsapp", SENDER, report, "pending")
    assert reply.text().startswith("Laporan diterima. Kode Anda: ")
    code = code_in(reply.text())
    assert public_status(code=code)["report"] == report
    # The stored body and the kept reply hold no tracking code: it is encrypted beside them.
    assert reply.body.startswith("Laporan diterima. Kode Anda: [[kode]]") and code not in reply.body
    assert code not in stored_columns("reports_outboundmessage", "body", "secret", "params")
    assert code not in stored_columns("reports_inboundmessage", "reply", "secret")
    assert InboundMessage.objects.get().provider_id == (
        "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDMEE0QzVEMTlGRTc5QTdDNTkA")
    # Sent after commit by a background task, never inside the request.
    # (Other apps may queue work of their own after the same commit.)
    task = DBTaskResult.objects.get(task_path="polmas.reports.tasks.message_send")
    assert task.args_kwargs["args"] == [reply.pk]


def test_a_replayed_delivery_is_answered_once_and_stored_once(wa):
    payload = recorded_json("whatsapp_text.json")
    first, again = wa.post(payload), wa.post(payload)

    assert (first.status_code, again.status_code) == (200, 200)
    assert Report.objects.count() == 1
    assert OutboundMessage.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_tampered_body_is_refused_and_nothing_stored(wa):
    body = json.dumps(recorded_json("whatsapp_text.json")).encode()
    signature = meta_sign(body)
    before = stored()
    tampered = wa.post_raw(body.replace(b"curi motor", b"judi togel"), signature)
    other_secret = wa.post_raw(body, meta_sign(body, secret="guess"))
    unsigned = wa.post_raw(body, "")
    bare_hex = wa.post_raw(body, signature.removeprefix("sha256="))

    assert [r.status_code for r in (tampered, other_secret, unsigned, bare_hex)] == [403, 403, 403, 403]
    assert stored() == before


def test_without_an_app_secret_it_is_not_configured_and_accepts_nothing(wa, settings):
    settings.POLMAS_WHATSAPP_APP_SECRET = ""
    before = stored()
    body = json.dumps(recorded_json("whatsapp_text.json")).encode()

    assert wa.post_raw(body, meta_sign(body, secret="")).status_code == 503
    assert stored() == before


@pytest.mark.parametrize("body", [
    b"{not json",
    b"\xff\xfe",
    b"[]",
    b'{"entry": {"changes": []}}',
    b'{"entry": [{"changes": [{"value": {"messages": [{"from": "6281234567890", "type": "text"}]}}]}]}',
    b'{"entry": [{"changes": [{"value": {"messages": [{"id": "wamid.X", "from": "+62 812", '
    b'"type": "text", "text": {"body": "hi"}}]}}]}]}',
    b'{"entry": [{"changes": [{"value": {"messages": [{"id": "wamid.X", "from": "6281234567890", '
    b'"type": "text", "text": {"body": 5}}]}}]}]}',
    b'{"entry": [{"changes": [{"value": {"messages": [{"id": "wamid.X", "from": "6281234567890", '
    b'"type": "location", "location": {"latitude": "-8.1", "longitude": 115.3}}]}}]}]}',
])
def test_malformed_deliveries_get_400_and_nothing_is_stored(wa, body):
    before = stored()

    assert wa.post_raw(body).status_code == 400
    assert stored() == before


def test_one_bad_message_in_a_batch_stores_none_of_them(wa):
    payload = wa.payload(text="LAPOR curi motor di Les")
    messages = payload["entry"][0]["changes"][0]["value"]["messages"]
    messages.append({**messages[0], "id": "wamid.<bad>"})
    before = stored()

    assert wa.post(payload).status_code == 400
    assert stored() == before


def test_delivery_receipts_are_accepted_and_ignored(wa):
    before = stored()
    response = wa.post(recorded_json("whatsapp_status.json"))

    assert (response.status_code, response.json()) == (200, {"received": 0})
    assert stored() == before


def test_an_image_gets_a_polite_reply(wa):
    payload = recorded_json("whatsapp_image.json")
    assert wa.post(payload).status_code == 200

    assert OutboundMessage.objects.get().body == (
        "Maaf, kami hanya dapat membaca pesan teks (dan lokasi di WhatsApp).")
    assert Report.objects.count() == 0 and Conversation.objects.count() == 0


def test_a_shared_location_names_the_village(wa):
    asked = wa.say("LAPOR motor saya dicuri")
    assert asked == "Di desa atau kelurahan mana? Balas dengan namanya, mis. Les, Tejakula"

    done = wa.say(location=(-8.1472, 115.3668))
    assert done.startswith("Lokasi: Les (Tejakula, Buleleng).\nLaporan diterima. Kode Anda: ")
    report = Report.objects.get()
    assert (report.village_id, report.latitude, report.longitude) == (LES, -8.1472, 115.3668)
    assert report.channel == "whatsapp"


def test_a_location_first_asks_what_happened(wa):
    asked = wa.say(location=(-8.1472, 115.3668))
    assert asked == ("Lokasi: Les (Tejakula, Buleleng).\n"
                     "Apa yang terjadi, dan di desa mana? Mis.: curi motor di Les")

    done = wa.say("ada tawuran pemuda")
    assert done.startswith("Laporan diterima")
    report = Report.objects.get()
    assert (report.category.code, report.village_id) == ("fight", LES)
    assert report.description == "ada tawuran pemuda"


def test_a_location_outside_indonesia_is_refused(wa):
    reply = wa.say(location=(51.5074, -0.1278))

    assert reply == "Lokasi itu berada di luar Indonesia. Balas dengan nama desa."
    assert Report.objects.count() == 0 and Conversation.objects.count() == 0


def test_an_oversized_message_is_refused_with_a_clear_reply(wa):
    reply = wa.say("LAPOR curi motor di Les " + "x" * 5000)

    assert reply == "Pesan Anda lebih panjang dari 5000 karakter; silakan kirim yang lebih pendek."
    assert Report.objects.count() == 0 and Conversation.objects.count() == 0


def test_whatsapp_and_sms_dialogues_are_kept_apart(wa, sms):
    wa.say("LAPOR ada kejadian di Les")  # WhatsApp now waits for a category
    reply = sms.say("1")  # the same number by SMS has no dialogue going

    assert reply.startswith("Polmas: laporkan")
    assert Conversation.objects.get().channel == "whatsapp"


def test_a_huge_request_is_refused_before_parsing(wa):
    before = stored()
    body = b'{"entry": [' + b'{"changes": []},' * 200_000 + b'{"changes": []}]}'

    assert wa.post_raw(body).status_code == 400
    assert stored() == before


def test_deeply_nested_json_is_malformed_not_a_crash(wa):
    before = stored()

    assert wa.post_raw(b"[" * 100_000 + b"]" * 100_000).status_code == 400
    assert stored() == before
