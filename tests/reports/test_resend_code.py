"""A lost answer no longer loses the tracking code: the same client resending the same report
gets a fresh code that replaces the lost one; anyone else sending the UUID gets none
(issue 14, item 13; ADR 16)."""

import uuid

import pytest

from conftest import person
from polmas.reports.models import Report
from polmas.reports.selectors import public_status
from reports.helpers import age, submit

pytestmark = pytest.mark.django_db
ADDRESS, OTHER_ADDRESS = "203.0.113.21", "198.51.100.7"


def works(code: str | None) -> bool:
    return code is not None and public_status(code=code) is not None


def test_the_same_client_gets_a_fresh_code_and_the_lost_one_stops_working():
    key = uuid.uuid4()
    first = submit(client_uuid=key, client_key=ADDRESS)
    count = Report.objects.count()
    again = submit(client_uuid=key, client_key=ADDRESS)
    assert again.report.pk == first.report.pk and again.resent and Report.objects.count() == count
    assert again.tracking_code and again.tracking_code != first.tracking_code
    assert works(again.tracking_code) and not works(first.tracking_code)
    assert public_status(code=again.tracking_code)["number"] == first.report.pk


def test_another_address_replaying_the_uuid_gets_no_code_and_changes_nothing():
    key = uuid.uuid4()
    first = submit(client_uuid=key, client_key=ADDRESS)
    replay = submit(client_uuid=key, client_key=OTHER_ADDRESS)
    assert replay.report.pk == first.report.pk and replay.tracking_code is None
    assert works(first.tracking_code)


@pytest.mark.parametrize("changes", [
    {"description": "Sepeda motor dicuri di depan rumah!"},  # not the same text
    {"category": "burglary"},
    {"channel": "web"},  # the helper sends "api"
    {"client_key": ""},  # no address to compare
])
def test_a_resend_that_is_not_surely_the_same_client_gets_no_code(changes):
    key = uuid.uuid4()
    first = submit(client_uuid=key, client_key=ADDRESS)
    again = submit(client_uuid=key, **{"client_key": ADDRESS, **changes})
    assert again.report.pk == first.report.pk and again.tracking_code is None
    assert works(first.tracking_code)


def test_a_report_sent_without_an_address_never_gets_a_code_again():
    key = uuid.uuid4()
    first = submit(client_uuid=key)
    assert submit(client_uuid=key).tracking_code is None and works(first.tracking_code)


def test_after_a_day_a_resend_gets_no_code():
    key = uuid.uuid4()
    first = submit(client_uuid=key, client_key=ADDRESS)
    age(first.report, hours=25)
    assert submit(client_uuid=key, client_key=ADDRESS).tracking_code is None
    assert works(first.tracking_code)


def test_a_signed_in_reporter_gets_a_code_from_any_address_and_no_one_else_does():
    key = uuid.uuid4()
    officer = person("bhabin")
    first = submit(client_uuid=key, client_key=ADDRESS, user=officer)
    other = submit(client_uuid=key, client_key=ADDRESS, user=person("kapolsek"))
    anonymous = submit(client_uuid=key, client_key=ADDRESS)
    assert other.tracking_code is None and anonymous.tracking_code is None and works(first.tracking_code)
    mine = submit(client_uuid=key, client_key=OTHER_ADDRESS, user=officer)
    assert works(mine.tracking_code) and not works(first.tracking_code)
