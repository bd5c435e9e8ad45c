"""The alarm pages and the work queue: who sees an alarm, and refusals that name the field."""

import datetime as dt

import pytest

from polmas.earlywarning.models import Alarm

pytestmark = pytest.mark.django_db
LES = "51.08.09.2007"


def _alarm(**kw) -> Alarm:
    values = {"region_id": LES, "group": "property", "week": dt.date(2026, 11, 23), "weeks": 2,
              "villages": [LES], "observed": 9, "expected": 2.0, "detector": "negbin",
              "top_category": "theft"}
    return Alarm.objects.create(**{**values, **kw})


@pytest.mark.parametrize("username", ["bhabin", "kapolsek", "kapolres"])
def test_a_new_alarm_is_in_the_work_queue_of_the_village_officer_and_supervisors(login, username):
    alarm = _alarm()
    page = login(username).get("/kerja/")
    assert page.status_code == 200
    assert f'data-alarm="{alarm.pk}"'.encode() in page.content


def test_an_acknowledged_alarm_leaves_the_queue_but_stays_in_the_list(login):
    alarm = _alarm(status=Alarm.Status.ACKNOWLEDGED)
    client = login("kapolsek")
    assert f'data-alarm="{alarm.pk}"'.encode() not in client.get("/kerja/").content
    assert f'data-alarm="{alarm.pk}"'.encode() in client.get("/peringatan/").content


def test_the_outsider_supervisor_sees_no_bali_alarm(login):
    alarm = _alarm()
    client = login("kapolsek_depok")
    assert f'data-alarm="{alarm.pk}"'.encode() not in client.get("/kerja/").content
    assert client.get(f"/peringatan/{alarm.pk}/").status_code == 404
    assert client.post(f"/peringatan/{alarm.pk}/abaikan/", {"reason": "x"}).status_code == 404
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.ACTIVE


def test_dismissing_without_a_reason_answers_400_naming_it(login):
    alarm = _alarm()
    page = login("kapolsek").post(f"/peringatan/{alarm.pk}/abaikan/", {"reason": ""})
    assert page.status_code == 400
    assert b'id="a-reason-error"' in page.content
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.ACTIVE


def test_a_case_from_the_page_goes_to_the_new_case(login):
    alarm = _alarm()
    page = login("kapolsek").post(f"/peringatan/{alarm.pk}/kasus/", {"village": LES})
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.CASE
    assert page.status_code == 302 and page["Location"] == f"/kasus/{alarm.case_id}/"


def test_a_second_action_on_a_dismissed_alarm_is_409(login):
    alarm = _alarm(status=Alarm.Status.DISMISSED, reason="Laporan ganda", outcome=Alarm.Outcome.FALSE_ALARM)
    page = login("kapolsek").post(f"/peringatan/{alarm.pk}/kasus/", {"village": LES})
    assert page.status_code == 409


def test_a_wrong_status_filter_answers_400(login):
    assert login("kapolsek").get("/peringatan/?status=lost").status_code == 400


def test_the_alarm_page_says_what_rose_where(login):
    alarm = _alarm()
    page = login("kapolsek").get(f"/peringatan/{alarm.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Property crime rising in" in page.content
