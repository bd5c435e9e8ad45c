"""report_submit: what a good report stores, and every bad input refused with nothing stored."""

import datetime as dt
import hashlib
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from conftest import person
from polmas.access.models import AuditEntry
from polmas.reports.intake import IntakeError, report_submit
from polmas.reports.models import Block, Event, Report
from polmas.reports.tracking import normalize, value_hash
from reports.helpers import LES, PHONE, age, place, report_input, submit

pytestmark = pytest.mark.django_db


def test_it_stores_an_anonymous_report_and_returns_its_tracking_code_once():
    before = timezone.now()
    done = submit(description="  Sepeda motor dicuri malam tadi.  ")
    report = Report.objects.get(pk=done.report.pk)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", done.tracking_code)
    assert report.tracking_hash == hashlib.sha256(normalize(done.tracking_code).encode()).hexdigest()
    assert done.tracking_code.replace("-", "") not in str(Report.objects.filter(pk=report.pk).values())
    assert (report.category.code, report.village_id, report.channel) == ("theft", LES, "api")
    assert report.description == "Sepeda motor dicuri malam tadi."
    assert report.status == "received" and report.anonymous and not report.sensitive
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")
    assert report.created_at >= before
    event = Event.objects.get(report=report)
    assert (event.kind, event.status, event.public) == ("received", "received", True)
    entry = AuditEntry.objects.get(action="report.submit", object_id=str(report.pk))
    assert entry.region_code == LES and entry.detail == {"channel": "api"}


def test_it_keeps_the_contact_of_a_reporter_who_wants_an_answer():
    report = submit(anonymous=False, name=" Komang Ayu ", phone="0812-3456-7890",
                    reply_channel="sms").report
    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_phone) == ("Komang Ayu", "081234567890")
    assert report.reply_channel == "sms" and not report.anonymous


def test_an_anonymous_reporter_keeps_no_name_even_if_one_was_typed():
    report = submit(anonymous=True, name="Komang Ayu").report
    report.refresh_from_db()
    assert report.reporter_name == "" and report.anonymous


def test_it_finds_the_village_from_a_location():
    les = place()
    report = submit(village="", latitude=les.latitude + 0.0005, longitude=les.longitude).report
    assert report.village_id == LES and report.latitude == les.latitude + 0.0005


def test_it_stores_a_time_without_zone_as_local_time():
    naive = dt.datetime.now() - dt.timedelta(hours=3)  # noqa: DTZ005
    report = submit(occurred_at=naive).report
    report.refresh_from_db()
    assert report.occurred_at == timezone.make_aware(naive)


def test_a_sensitive_category_is_sealed_from_the_start():
    report = submit(category="domestic_violence", description="Tetangga dipukul suaminya.").report
    assert report.sensitive and Report.objects.get(pk=report.pk).sensitive


BAD = [
    ({"category": "unicorns"}, "category"),
    ({"category": ""}, "category"),
    ({"category": "theft\x00"}, "category"),
    ({"description": "   "}, "description"),
    ({"description": "x" * 5001}, "description"),
    ({"description": "pencurian\x00"}, "description"),
    ({"village": "51.08.09"}, "village"),
    ({"village": "51.08.09.9999"}, "village"),
    ({"village": "Les"}, "village"),
    ({"village": ""}, "village"),
    ({"village": "", "latitude": 51.5, "longitude": -0.12}, "latitude"),
    ({"village": "", "latitude": -8.1}, "longitude"),
    ({"village": "", "latitude": float("nan"), "longitude": 115.3}, "latitude"),
    ({"occurred_at": timezone.now() + dt.timedelta(days=1)}, "occurred_at"),
    ({"occurred_at": timezone.now() - dt.timedelta(days=366 * 6)}, "occurred_at"),
    ({"phone": "12345"}, "phone"),
    ({"phone": "+1 555 0100 222"}, "phone"),
    ({"email": "not-an-address"}, "email"),
    ({"reply_channel": "pigeon"}, "reply_channel"),
    ({"reply_channel": "sms"}, "phone"),
    ({"reply_channel": "email"}, "email"),
    ({"anonymous": False, "name": "x" * 151}, "name"),
    ({"anonymous": False, "name": "Komang\x07"}, "name"),
]


@pytest.mark.parametrize("fields,field", BAD)
def test_it_refuses_bad_input_naming_the_field_and_stores_nothing(fields, field):
    count, events, audits = Report.objects.count(), Event.objects.count(), AuditEntry.objects.count()
    with pytest.raises(IntakeError) as caught:
        submit(**fields)
    assert caught.value.status == 400
    assert field in caught.value.errors and caught.value.errors[field]
    assert (Report.objects.count(), Event.objects.count(), AuditEntry.objects.count()) == (
        count, events, audits)


def test_it_names_every_bad_field_at_once():
    with pytest.raises(IntakeError) as caught:
        submit(category="unicorns", description="", village="99.99.99.9999", phone="1")
    assert set(caught.value.errors) == {"category", "description", "village", "phone"}


def test_a_resent_client_uuid_returns_the_first_report_without_a_new_code():
    key = uuid.uuid4()
    first = submit(client_uuid=key)
    count = Report.objects.count()
    again = submit(client_uuid=key, description="Isi lain, kiriman ulang.")
    assert again.report.pk == first.report.pk and again.tracking_code is None
    assert Report.objects.count() == count
    assert Report.objects.get(pk=first.report.pk).description == first.report.description


@pytest.mark.parametrize("kind,fields", [
    ("phone", {"phone": PHONE}), ("email", {"email": "pelapor@example.test"}),
    ("client", {"client_key": "203.0.113.7"}),
])
def test_a_blocked_sender_is_refused_with_403(kind, fields):
    value = {"phone": PHONE, "email": "pelapor@example.test", "client": "203.0.113.7"}[kind]
    Block.objects.create(kind=kind, value_hash=value_hash(kind, value), reason="spam")
    count = Report.objects.count()
    with pytest.raises(IntakeError) as caught:
        submit(**fields)
    assert caught.value.status == 403 and caught.value.errors["__all__"]
    assert Report.objects.count() == count


def test_an_expired_block_no_longer_refuses():
    Block.objects.create(kind="phone", value_hash=value_hash("phone", PHONE), reason="spam",
                         until=timezone.now() - dt.timedelta(minutes=1))
    assert submit(phone=PHONE).report.pk


def test_anonymous_intake_is_rate_limited_per_client(settings):
    settings.POLMAS_REPORTS_PER_HOUR = 2
    submit(client_key="203.0.113.9")
    old = submit(client_key="203.0.113.9").report
    count = Report.objects.count()
    with pytest.raises(IntakeError) as caught, translation.override("en"):
        submit(client_key="203.0.113.9")
    assert caught.value.status == 429
    assert caught.value.errors == {"__all__": "Too many reports from here in the last hour; "
                                              "please try again later."}
    assert Report.objects.count() == count
    # Another client, a signed-in officer and the same client an hour later are not limited.
    assert submit(client_key="203.0.113.10").report.pk
    assert submit(client_key="203.0.113.9", user=person("bhabin")).report.pk
    age(old, hours=1.5)
    assert submit(client_key="203.0.113.9").report.pk


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_stored_without_its_metadata(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    raw = _jpeg_with_exif()
    assert b"SecretCam" in raw
    report = submit(photo=SimpleUploadedFile("x.jpg", raw, content_type="image/jpeg")).report
    stored = (tmp_path / report.photo.name).read_bytes()
    assert b"SecretCam" not in stored and Image.open(io.BytesIO(stored)).size == (32, 24)


def test_a_file_that_is_not_an_image_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    count = Report.objects.count()
    fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(IntakeError) as caught:
        report_submit(report_input(photo=fake))
    assert "photo" in caught.value.errors and Report.objects.count() == count
    assert not list(tmp_path.rglob("*.*"))
