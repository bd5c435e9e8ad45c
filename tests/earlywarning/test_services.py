"""Acting on an alarm: who sees it, acknowledge, dismiss with a reason, turn into a case."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import person
from polmas.access.models import AuditEntry
from polmas.cases.models import Case
from polmas.earlywarning import services
from polmas.earlywarning.models import Alarm
from polmas.earlywarning.selectors import alarm_list
from polmas.earlywarning.text import alarm_sentence

pytestmark = pytest.mark.django_db
LES = "51.08.09.2007"
WEEK = dt.date(2026, 11, 23)


def _alarm(region: str = LES, group: str = "property", **kw) -> Alarm:
    values = {"week": WEEK, "weeks": 2, "villages": [region], "observed": 9, "expected": 2.1,
              "detector": Alarm.Detector.NEGBIN, "top_category": "theft", **kw}
    return Alarm.objects.create(region_id=region, group=group, **values)


@pytest.fixture
def neighbour() -> str:
    from polmas.regions.models import Region

    others = Region.objects.under("51.08.09").filter(level=4).exclude(code=LES)
    return others.values_list("code", flat=True)[0]


def test_the_bhabin_sees_an_alarm_naming_their_village_and_not_a_sealed_district_count(neighbour):
    cluster = _alarm(neighbour, villages=[neighbour, LES], detector=Alarm.Detector.NEIGHBOURHOOD)
    sealed = _alarm("51.08.09", group="sensitive", villages=["51.08.09"], detector=Alarm.Detector.DISTRICT,
                    top_category="domestic_violence")
    elsewhere = _alarm("34.04.07.2001", villages=["34.04.07.2001"])
    assert set(alarm_list(user=person("bhabin"))) == {cluster}
    assert set(alarm_list(user=person("kapolsek"))) == {cluster, sealed}
    assert set(alarm_list(user=person("kapolres"))) == {cluster, sealed}
    assert elsewhere not in alarm_list(user=person("kapolsek"))
    assert set(alarm_list(user=person("warga"))) == set()
    assert set(alarm_list(user=person("fkpm"))) == set()


def test_acknowledge_is_audited_and_happens_once():
    alarm = _alarm()
    services.alarm_acknowledge(actor=person("kapolsek"), alarm_id=alarm.pk)
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.ACKNOWLEDGED and alarm.acted_by == person("kapolsek")
    assert AuditEntry.objects.filter(action="alarm.acknowledge", object_id=str(alarm.pk)).exists()
    with pytest.raises(services.AlarmConflict):
        services.alarm_acknowledge(actor=person("kapolsek"), alarm_id=alarm.pk)


def test_dismiss_needs_a_reason_and_keeps_the_outcome():
    alarm = _alarm()
    with pytest.raises(ValidationError) as refused:
        services.alarm_dismiss(actor=person("bhabin"), alarm_id=alarm.pk, reason="  ")
    assert "reason" in refused.value.message_dict
    services.alarm_dismiss(actor=person("bhabin"), alarm_id=alarm.pk, reason="Pasar malam: laporan ganda.")
    alarm.refresh_from_db()
    assert (alarm.status, alarm.outcome) == (Alarm.Status.DISMISSED, Alarm.Outcome.FALSE_ALARM)
    assert alarm.reason == "Pasar malam: laporan ganda."


def test_dismissing_outside_your_scope_is_404_and_changes_nothing():
    alarm = _alarm()
    with pytest.raises(Http404):
        services.alarm_dismiss(actor=person("kapolsek_depok"), alarm_id=alarm.pk, reason="bukan")
    with pytest.raises(Http404):
        services.alarm_dismiss(actor=person("warga"), alarm_id=alarm.pk, reason="bukan")
    alarm.refresh_from_db()
    assert alarm.status == Alarm.Status.ACTIVE


def test_an_alarm_becomes_a_case_in_scanning():
    alarm = _alarm()
    with pytest.raises(ValidationError):  # a village the alarm does not name
        services.alarm_to_case(actor=person("kapolsek"), alarm_id=alarm.pk, village="51.08.09.2001")
    case = services.alarm_to_case(actor=person("kapolsek"), alarm_id=alarm.pk)
    assert (case.source, case.stage, case.village_id, case.category.code) == (
        Case.Source.DETECTION, Case.Stage.SCANNING, LES, "theft")
    assert case.statement == alarm_sentence(alarm)
    alarm.refresh_from_db()
    assert (alarm.status, alarm.outcome, alarm.case) == (Alarm.Status.CASE, Alarm.Outcome.CONFIRMED, case)
    with pytest.raises(services.AlarmConflict):
        services.alarm_to_case(actor=person("kapolsek"), alarm_id=alarm.pk)


def test_a_district_alarm_becomes_a_sealed_case_only_in_a_village_named():
    alarm = _alarm("51.08.09", group="sensitive", villages=["51.08.09"], detector=Alarm.Detector.DISTRICT,
                   top_category="domestic_violence")
    with pytest.raises(ValidationError) as refused:
        services.alarm_to_case(actor=person("kapolsek"), alarm_id=alarm.pk)
    assert "village" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.alarm_to_case(actor=person("kapolsek"), alarm_id=alarm.pk, village="51.08.08.2001")
    case = services.alarm_to_case(actor=person("kapolsek"), alarm_id=alarm.pk, village=LES)
    assert case.sensitive
    assert "domestic" not in alarm_sentence(alarm).lower()


def test_the_sentence_says_where_what_and_how_many():
    alarm = _alarm()
    text = alarm_sentence(alarm)
    assert "Les" in text and "9" in text and "2.1" in text and "2026-W48" in text
    from django.utils import translation

    with translation.override("id"):  # the reader's number format: "2,1" in Indonesian
        assert "2,1" in alarm_sentence(alarm) and "2.1" not in alarm_sentence(alarm)


def test_the_sentence_rounds_the_expected_count_as_the_page_does():
    # 5.36 expected: the detail page's floatformat shows 5.4, and so must the sentence
    # (Django's number_format alone cut it to 5.3: the demo's alarm said "sekitar 5,3").
    from django.utils import translation

    alarm = _alarm(expected=5.36, detector=Alarm.Detector.SCAN)
    with translation.override("id"):
        assert "5,4" in alarm_sentence(alarm) and "5,3" not in alarm_sentence(alarm)
    with translation.override("en"):
        assert "about 5.4 were expected" in alarm_sentence(alarm)
