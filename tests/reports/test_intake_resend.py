"""A resent client UUID answers with the stored report before any refusal, whether the check
of the content, a block or the hourly limit would refuse it now (intake asks the UUID, the
blocks and the limit in one statement, after checking the content)."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polmas.reports.intake import IntakeError
from polmas.reports.models import Block, Report
from polmas.reports.tracking import value_hash
from reports.helpers import PHONE, submit

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.21"


def test_a_resend_with_content_now_refused_answers_the_stored_report():
    key = uuid.uuid4()
    first = submit(client_uuid=key)
    again = submit(client_uuid=key, category="no-such-category", description="")
    assert again.report.pk == first.report.pk and again.tracking_code is None
    with pytest.raises(IntakeError) as caught:
        submit(client_uuid=uuid.uuid4(), category="no-such-category")
    assert set(caught.value.errors) == {"category"}


def test_a_resend_with_a_photo_is_answered_before_the_photo_is_read():
    key = uuid.uuid4()
    first = submit(client_uuid=key)
    not_an_image = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    again = submit(client_uuid=key, photo=not_an_image)
    assert again.report.pk == first.report.pk and again.tracking_code is None
    assert not_an_image.tell() == 0


@pytest.mark.parametrize("kind", ["phone", "client"])
def test_a_resend_from_a_sender_blocked_since_answers_the_stored_report(kind):
    key = uuid.uuid4()
    first = submit(client_uuid=key, phone=PHONE, client_key=ADDRESS)
    value = {"phone": PHONE, "client": ADDRESS}[kind]
    Block.objects.create(kind=kind, value_hash=value_hash(kind, value), reason="spam")
    again = submit(client_uuid=key, phone=PHONE, client_key=ADDRESS)
    # (The same client: it gets a fresh code for its own report, test_resend_code.py.)
    assert again.report.pk == first.report.pk and again.resent
    with pytest.raises(IntakeError) as caught:
        submit(client_uuid=uuid.uuid4(), phone=PHONE, client_key=ADDRESS)
    assert caught.value.status == 403


def test_a_resend_over_the_hourly_limit_answers_the_stored_report(settings):
    settings.POLMAS_REPORTS_PER_HOUR = 1
    key = uuid.uuid4()
    first = submit(client_uuid=key, client_key=ADDRESS)
    again = submit(client_uuid=key, client_key=ADDRESS)
    assert again.report.pk == first.report.pk and again.resent
    count = Report.objects.count()
    with pytest.raises(IntakeError) as caught:
        submit(client_uuid=uuid.uuid4(), client_key=ADDRESS)
    assert caught.value.status == 429 and Report.objects.count() == count


def test_a_limit_of_zero_refuses_every_anonymous_report(settings):
    settings.POLMAS_REPORTS_PER_HOUR = 0
    with pytest.raises(IntakeError) as caught:
        submit(client_key=ADDRESS)
    assert caught.value.status == 429


def test_a_block_past_its_end_and_old_reports_do_not_count():
    Block.objects.create(kind="client", value_hash=value_hash("client", ADDRESS), reason="spam",
                         until=timezone.now() - dt.timedelta(seconds=1))
    assert submit(client_uuid=uuid.uuid4(), client_key=ADDRESS).tracking_code


def test_uuid_blocks_limit_and_likely_duplicate_are_one_statement():
    first = submit(client_key=ADDRESS).report  # the category and village copies are filled
    with CaptureQueriesContext(connection) as queries:
        done = submit(routed=False, client_uuid=uuid.uuid4(), client_key=ADDRESS, phone=PHONE)
    asked = [q["sql"] for q in queries.captured_queries
             if "reports_block" in q["sql"] or "client_uuid =" in q["sql"] or "client_key =" in q["sql"]]
    assert len(asked) == 1
    # The same statement found the likely original; then the INSERT (and at most a task row).
    assert '"likely_duplicate_of_id" IS NULL' in asked[0] and done.report.likely_duplicate_of_id == first.pk
    # (The catalogue's copy is not kept inside the test's transaction: it is read again.)
    reads = [q["sql"] for q in queries.captured_queries
             if q["sql"].lstrip().upper().startswith("SELECT")
             and "reports_report" in q["sql"]]
    assert reads == asked
