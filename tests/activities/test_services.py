"""Recording activities: resends, scope, per-kind fields, and who reads detection reports."""

import dataclasses
import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import person
from polmas.access.models import AuditEntry
from polmas.activities.models import Activity
from polmas.activities.selectors import activities_mine_this_week, activity_get, activity_list
from polmas.activities.services import Conflict, activity_record

from .conftest import LES, OTHER_BULELENG, visit

pytestmark = pytest.mark.django_db


def _fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


def test_bhabin_records_a_visit_with_audit():
    activity, created = activity_record(actor=person("bhabin"), data=visit())
    assert created and activity.officer.user == person("bhabin") and activity.village_id == LES
    assert AuditEntry.objects.filter(action="activity.record", object_id=str(activity.pk)).count() == 1


def test_resend_with_same_content_returns_the_stored_activity():
    data = visit()
    first, created = activity_record(actor=person("bhabin"), data=data)
    again, created_again = activity_record(actor=person("bhabin"), data=dataclasses.replace(data))
    assert created and not created_again and again.pk == first.pk
    assert Activity.objects.filter(client_uuid=data.client_uuid).count() == 1


def test_resend_with_other_content_is_refused_and_changes_nothing():
    data = visit()
    first, _ = activity_record(actor=person("bhabin"), data=data)
    with pytest.raises(Conflict):
        activity_record(actor=person("bhabin"), data=dataclasses.replace(data, households=9))
    first.refresh_from_db()
    assert first.households == 4 and Activity.objects.filter(client_uuid=data.client_uuid).count() == 1


def test_village_outside_scope_is_refused_on_the_village_field():
    with pytest.raises(ValidationError) as exc:
        activity_record(actor=person("bhabin"), data=visit(village=OTHER_BULELENG))
    assert _fields(exc.value) == {"village"}
    assert not Activity.objects.filter(village_id=OTHER_BULELENG, officer__user=person("bhabin")).exists()


def test_non_officers_record_nothing():
    for who in ("fkpm", "warga", "mitra"):
        with pytest.raises(PermissionDenied):
            activity_record(actor=person(who), data=visit())


@pytest.mark.parametrize("over, fields", [
    ({"households": None}, {"households"}),
    ({"households": 0}, {"households"}),
    ({"kind": "outreach", "households": None}, {"topic", "audience"}),
    ({"kind": "outreach", "households": None, "topic": "Narkoba", "audience": 0}, {"audience"}),
    ({"kind": "detection", "households": None}, {"summary"}),
    ({"kind": "coordination", "households": None, "summary": "  "}, {"summary"}),
    ({"kind": "patrol"}, {"households"}),
    ({"kind": "sleep", "households": None}, {"kind"}),
    ({"latitude": -8.1}, {"longitude"}),
    ({"latitude": 40.0, "longitude": 100.0}, {"latitude"}),
    ({"occurred_at": timezone.now() + dt.timedelta(days=1)}, {"occurred_at"}),
    ({"village": "51.08.09"}, {"village"}),
    ({"client_uuid": "not-a-uuid"}, {"client_uuid"}),
])
def test_bad_input_names_the_field_and_stores_nothing(over, fields):
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as exc:
        activity_record(actor=person("bhabin"), data=visit(**over))
    assert _fields(exc.value) == fields
    assert Activity.objects.count() == before


def test_each_kind_with_its_fields_is_accepted():
    for over in [{"kind": "patrol", "households": None},
                 {"kind": "outreach", "households": None, "topic": "Bahaya narkoba", "audience": 40},
                 {"kind": "detection", "households": None, "summary": "Rencana tawuran pemuda."},
                 {"kind": "coordination", "households": None, "summary": "Rapat dengan perbekel."},
                 {"latitude": -8.06, "longitude": 115.28}]:
        _, created = activity_record(actor=person("bhabin"), data=visit(**over))
        assert created


def _detection():
    activity, _ = activity_record(actor=person("bhabin"), data=visit(
        kind="detection", households=None, summary="Info rahasia"))
    return activity


@pytest.mark.parametrize("who", ["bhabin", "kapolsek", "kapolres", "ppa", "admin"])
def test_detection_reports_are_read_by_their_officer_and_supervisors(who):
    activity = _detection()
    assert activity_get(user=person(who), activity_id=activity.pk) == activity
    assert activity_list(user=person(who)).filter(pk=activity.pk).exists()


@pytest.mark.parametrize("who", ["fkpm", "mitra", "warga", "bappenas", "kapolsek_depok"])
def test_detection_reports_are_hidden_from_others(who):
    activity = _detection()
    assert activity_get(user=person(who), activity_id=activity.pk) is None
    assert not activity_list(user=person(who)).filter(kind="detection").exists()
    assert not activity_list(user=person(who)).filter(pk=activity.pk).exists()


def test_forum_and_partner_see_visits_but_residents_and_outsiders_do_not():
    activity, _ = activity_record(actor=person("bhabin"), data=visit())
    for who in ("fkpm", "mitra", "kapolsek"):
        assert activity_get(user=person(who), activity_id=activity.pk) == activity
    for who in ("warga", "kapolsek_depok"):
        assert activity_get(user=person(who), activity_id=activity.pk) is None


def test_my_week_lists_only_my_activities_since_monday():
    mine, _ = activity_record(actor=person("bhabin"), data=visit(occurred_at=timezone.now()))
    old, _ = activity_record(actor=person("bhabin"), data=visit(
        client_uuid=uuid.uuid4(), occurred_at=timezone.now() - dt.timedelta(days=8)))
    week = set(activities_mine_this_week(user=person("bhabin")).values_list("pk", flat=True))
    assert mine.pk in week and old.pk not in week
    assert not activities_mine_this_week(user=person("kapolsek")).filter(pk=mine.pk).exists()
