"""The partners room's services: organisations, agreements (period, PDF, renewals), partner
activities inside the programme's places, and its refusals."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from conftest import person
from polmas.access.models import AuditEntry
from polmas.partners import services
from polmas.partners.models import MAX_DOCUMENT, Agreement, Contact

from .conftest import COMPARE, DEPOK, LES, PDF, TEJAKULA

pytestmark = pytest.mark.django_db


def _agreement(cast, **over):
    today = timezone.localdate()
    data = dict(actor=person("kapolres"), organisation_id=cast.ngo.pk, kind="mou", title="MoU Desa Les",
                police_party="Polsek Tejakula", signed_on=today, starts_on=today,
                ends_on=today + dt.timedelta(days=365), places=[LES], police_commitments="Sambang.",
                partner_commitments="Mediasi.")
    data.update(over)
    return services.agreement_create(**data)


def test_contact_details_are_encrypted_at_rest(cast):
    contact = Contact.objects.get(organisation=cast.business)
    assert contact.phone == "081234567890"
    with connection.cursor() as cur:
        cur.execute("SELECT phone, name FROM partners_contact WHERE id = %s", [contact.pk])
        phone, name = cur.fetchone()
    assert "0812" not in phone and "Made" not in name


def test_it_refuses_an_agreement_ending_before_it_starts(cast):
    today = timezone.localdate()
    before = Agreement.objects.count()
    with pytest.raises(ValidationError) as exc:
        _agreement(cast, starts_on=today, ends_on=today - dt.timedelta(days=1))
    assert "ends_on" in exc.value.message_dict
    assert "before the start" in exc.value.message_dict["ends_on"][0]
    assert Agreement.objects.count() == before


def test_it_refuses_a_document_that_is_not_a_pdf(cast):
    fake = SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 this is an exe renamed", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _agreement(cast, document=fake)
    assert "not a PDF" in exc.value.message_dict["document"][0]


def test_it_refuses_a_document_over_ten_megabytes(cast):
    big = SimpleUploadedFile("mou.pdf", PDF + b"0" * MAX_DOCUMENT, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _agreement(cast, document=big)
    assert "10 MB" in exc.value.message_dict["document"][0]


def test_a_pdf_is_stored_under_a_random_name(cast):
    agreement = _agreement(cast, document=SimpleUploadedFile("Rahasia Desa.pdf", PDF))
    assert agreement.document.name.startswith("agreements/")
    assert "Rahasia" not in agreement.document.name
    assert agreement.document.read() == PDF


def test_a_renewal_keeps_the_history(cast):
    first = cast.agreement
    today = timezone.localdate()
    renewal = services.agreement_create(
        actor=person("kapolres"), organisation_id=cast.business.pk, kind="pks", title="PKS 2027",
        police_party="Polres Buleleng", signed_on=today, starts_on=today + dt.timedelta(days=31),
        ends_on=today + dt.timedelta(days=800), places=[TEJAKULA], police_commitments="Pelatihan.",
        partner_commitments="Melapor.", renews_id=first.pk)
    first.refresh_from_db()
    assert first.status == Agreement.Status.RENEWED
    assert first.title == "PKS anti perdagangan orang"  # kept as it was
    assert renewal.renews_id == first.pk
    with pytest.raises(ValidationError) as exc:  # a renewed one is not renewed twice
        _agreement(cast, organisation_id=cast.business.pk, places=[TEJAKULA], renews_id=first.pk)
    assert "renews" in exc.value.message_dict


def test_places_outside_the_managers_scope_are_refused(cast):
    with pytest.raises(ValidationError) as exc:
        _agreement(cast, places=[DEPOK])
    assert "places" in exc.value.message_dict


def test_a_partner_cannot_record_agreements(cast):
    with pytest.raises(PermissionDenied):
        _agreement(cast, actor=cast.biz_user)


def test_partner_staff_record_an_activity_in_the_programmes_village(cast):
    key = uuid.uuid4()
    activity, created = services.partner_activity_record(
        actor=cast.biz_user, programme_id=cast.programme.pk, village=LES, kind="outreach",
        occurred_on=timezone.localdate(), participants=25, summary="Sosialisasi TPPO.", client_uuid=key)
    assert created and activity.village_id == LES
    again, created = services.partner_activity_record(
        actor=cast.biz_user, programme_id=cast.programme.pk, village=LES, kind="outreach",
        occurred_on=timezone.localdate(), participants=25, summary="Sosialisasi TPPO.", client_uuid=key)
    assert not created and again.pk == activity.pk
    entries = AuditEntry.objects.filter(action="partner_activity.record", object_id=str(activity.pk))
    assert entries.count() == 1


@pytest.mark.parametrize("village", [COMPARE, "34.04.07.2001", TEJAKULA, "x"])
def test_a_partner_acting_outside_its_places_is_not_found(cast, village):
    with pytest.raises(services.NotFound):
        services.partner_activity_record(
            actor=cast.biz_user, programme_id=cast.programme.pk, village=village, kind="outreach",
            occurred_on=timezone.localdate(), summary="x")


def test_another_partners_programme_is_not_found(cast):
    with pytest.raises(services.NotFound):
        services.partner_activity_record(
            actor=cast.ngo_user, programme_id=cast.programme.pk, village=LES, kind="outreach",
            occurred_on=timezone.localdate(), summary="x")


def test_an_activity_outside_the_programmes_period_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.partner_activity_record(
            actor=cast.biz_user, programme_id=cast.programme.pk, village=LES, kind="outreach",
            occurred_on=timezone.localdate() + dt.timedelta(days=3), summary="x")
    assert "occurred_on" in exc.value.message_dict
