"""Disaster mode: who switches it, raised roster cover, looting and security reports first."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import person
from polmas.access.models import AuditEntry
from polmas.activities.disaster import (
    disaster_active,
    disaster_end,
    disaster_start,
    order_reports,
    reports_first,
)
from polmas.activities.models import ShiftVolunteer
from polmas.activities.rosters import roster_generate
from polmas.reports.models import Category, Report

from .conftest import LES, OTHER_BULELENG, TEJAKULA

pytestmark = pytest.mark.django_db


def _report(code: str, village: str) -> Report:
    return Report.objects.create(category=Category.objects.get(code=code), description="x",
                                 village_id=village, channel="web", tracking_hash=uuid.uuid4().hex * 2)


def test_kapolsek_switches_disaster_mode_on_and_off():
    mode = disaster_start(actor=person("kapolsek"), prefix=TEJAKULA, kind="earthquake", reason="Gempa M6")
    assert mode.active and disaster_active(prefixes=[LES]).get() == mode
    with pytest.raises(ValidationError) as exc:
        disaster_start(actor=person("kapolsek"), prefix=TEJAKULA, kind="earthquake", reason="lagi")
    assert "prefix" in exc.value.message_dict
    ended = disaster_end(actor=person("kapolsek"), prefix=TEJAKULA)
    assert not ended.active and not disaster_active(prefixes=[LES]).exists()
    assert AuditEntry.objects.filter(object_id=str(mode.pk), action__startswith="disaster.").count() == 2
    with pytest.raises(ValidationError):
        disaster_end(actor=person("kapolsek"), prefix=TEJAKULA)


def test_only_supervisors_in_scope_switch_it():
    with pytest.raises(PermissionDenied):
        disaster_start(actor=person("bhabin"), prefix=LES, kind="flood", reason="Banjir")
    with pytest.raises(ValidationError) as exc:
        disaster_start(actor=person("kapolsek_depok"), prefix=TEJAKULA, kind="flood", reason="Banjir")
    assert "prefix" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        disaster_start(actor=person("kapolsek"), prefix="51.08", kind="nope", reason="")
    assert set(exc.value.message_dict) == {"prefix"}
    with pytest.raises(ValidationError) as exc:
        disaster_start(actor=person("kapolsek"), prefix=LES, kind="nope", reason="")
    assert set(exc.value.message_dict) == {"kind", "reason"}
    assert not disaster_active().exists()


def test_rosters_under_disaster_mode_get_double_cover_every_night(roster):
    roster.weekdays = "56"  # normally weekends only
    roster.save()
    normal = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    assert normal.cover == 2 and not normal.raised
    assert {s.night.weekday() for s in normal.shifts.all()} <= {5, 6}
    disaster_start(actor=person("kapolsek"), prefix=TEJAKULA, kind="earthquake", reason="Gempa")
    raised = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    assert raised.cover == 4 and raised.raised and raised.shifts.count() == 14 * 2
    full = [s for s in raised.shifts.all() if s.places.count() == 4]
    # Ten volunteers, three shifts a week each, cannot fill 8 places a night: the rest is listed.
    assert full and len(raised.shortages) == sum(1 for s in raised.shifts.all() if s.places.count() < 4)
    assert not any(s.places.count() == 1 for s in raised.shifts.all())
    assert ShiftVolunteer.objects.filter(shift__roster=raised).count() <= 10 * 3 * 2


def test_looting_and_security_reports_come_first_under_disaster_mode():
    noise = _report("noise", LES)
    theft_les = _report("theft", LES)
    theft_elsewhere = _report("theft", OTHER_BULELENG)
    security = _report("disaster_security", LES)
    ours = Report.objects.filter(pk__in=[noise.pk, theft_les.pk, theft_elsewhere.pk, security.pk])
    assert not ours.filter(reports_first()).exists()
    disaster_start(actor=person("kapolsek"), prefix=TEJAKULA, kind="earthquake", reason="Gempa")
    assert set(ours.filter(reports_first()).values_list("pk", flat=True)) == {theft_les.pk, security.pk}
    assert not ours.filter(reports_first(prefixes=["34"])).exists()
    ordered = list(order_reports(ours.order_by("created_at")))
    assert [r.pk for r in ordered] == [theft_les.pk, security.pk, noise.pk, theft_elsewhere.pk]
    assert [r.disaster_first for r in ordered] == [True, True, False, False]
    # Ordering keeps working on a queryset with its own order and distinct rows, as work queues use.
    assert list(order_reports(ours.distinct()))[0].disaster_first
