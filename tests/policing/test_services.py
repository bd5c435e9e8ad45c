"""Writes to officers, postings, training and equipment: validated, scoped, audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import OUTSIDER, person
from polmas.access.models import AuditEntry
from polmas.policing.models import Assignment, Equipment, Officer, Training
from polmas.policing.services import (
    assignment_end,
    assignment_start,
    equipment_add,
    officer_create,
    training_record_add,
    validate_phone,
)

from .places import BULELENG, CATURTUNGGAL, LES, PACUNG, TAMBAKAN, TEJAKULA, region, unit

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def new_officer(nrp: str = "99010001", code: str = TEJAKULA, kind: str = "polsek", **extra) -> Officer:
    return officer_create(actor=None, nrp=nrp, name="Komang Test", rank="bripka", unit=unit(kind, code),
                          **extra)


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


# --- officer_create ------------------------------------------------------------------------

def test_it_registers_an_officer_and_audits_who_did_it():
    officer = officer_create(actor=person("kapolsek"), nrp=" 99010001 ", name=" Komang Test ",
                             rank="bripka", unit=unit("polsek", TEJAKULA), phone="0812 3456 7890",
                             email="komang@example.org")

    officer.refresh_from_db()
    assert (officer.nrp, officer.name, officer.phone) == ("99010001", "Komang Test", "081234567890")
    entry = AuditEntry.objects.get(action="officer.create", object_id=str(officer.pk))
    assert entry.actor == person("kapolsek")
    assert entry.region_code == TEJAKULA


def test_it_refuses_a_duplicate_nrp_naming_the_field():
    existing = Officer.objects.get(user=person("kapolsek"))
    before = Officer.objects.count()

    with pytest.raises(ValidationError) as exc:
        officer_create(actor=None, nrp=existing.nrp, name="Someone Else", rank="bripka",
                       unit=unit("polsek", TEJAKULA))

    assert fields_of(exc) == {"nrp"}
    assert existing.nrp in exc.value.message_dict["nrp"][0]
    assert Officer.objects.count() == before


@pytest.mark.parametrize("nrp", ["", "1234567", "123456789", "1234567a", "١٢٣٤٥٦٧٨"])
def test_it_refuses_an_nrp_that_is_not_eight_digits(nrp):
    with pytest.raises(ValidationError) as exc:
        new_officer(nrp=nrp)
    assert fields_of(exc) == {"nrp"}


@pytest.mark.parametrize("phone", ["12345", "0712345678", "+6512345678", "08123", "0812345678901234",
                                   "+62 812 abc"])
def test_it_refuses_a_phone_that_is_not_indonesian(phone):
    with pytest.raises(ValidationError) as exc:
        new_officer(phone=phone)
    assert fields_of(exc) == {"phone"}


@pytest.mark.parametrize("raw,stored", [("081234567", "081234567"), ("+62 812-3456-7890", "+6281234567890"),
                                        ("(0812) 3456.7890", "081234567890"), ("", "")])
def test_phone_numbers_lose_their_separators(raw, stored):
    assert validate_phone(raw) == stored


def test_it_refuses_a_bad_email_and_an_unknown_rank():
    with pytest.raises(ValidationError) as exc:
        new_officer(email="komang@")
    assert fields_of(exc) == {"email"}
    with pytest.raises(ValidationError) as exc:
        officer_create(actor=None, nrp="99010001", name="Komang", rank="sersan",
                       unit=unit("polsek", TEJAKULA))
    assert fields_of(exc) == {"rank"}


@pytest.mark.parametrize("username,kind,code", [
    (OUTSIDER, "polsek", TEJAKULA),  # another province altogether
    ("kapolsek", "polres", BULELENG),  # the Polres above one's own Polsek
    ("bhabin", "polsek", TEJAKULA),  # Bhabinkamtibmas do not manage officers
    ("ppa", "polres", BULELENG),
    ("mitra", "polsek", TEJAKULA),
])
def test_it_refuses_to_register_officers_outside_the_actors_command(username, kind, code):
    with pytest.raises(PermissionDenied):
        officer_create(actor=person(username), nrp="99010001", name="Komang", rank="bripka",
                       unit=unit(kind, code))
    assert not Officer.objects.filter(nrp="99010001").exists()


def test_the_polres_commander_registers_officers_of_its_polsek():
    officer = officer_create(actor=person("kapolres"), nrp="99010001", name="Komang", rank="bripka",
                             unit=unit("polsek", TEJAKULA))
    assert officer.unit.region_id == TEJAKULA


# --- assignments ---------------------------------------------------------------------------

def test_it_refuses_a_village_outside_the_officers_unit(vacate):
    vacate(TAMBAKAN)
    officer = new_officer()

    for actor in (None, person("kapolres")):  # kapolres's scope covers Tambakan; the unit does not
        with pytest.raises(ValidationError) as exc:
            assignment_start(actor=actor, officer=officer, village=region(TAMBAKAN), start=TODAY)
        assert fields_of(exc) == {"village"}
    assert not officer.assignments.exists()


def test_replacing_a_villages_officer_keeps_the_history():
    current = Assignment.objects.get(village_id=LES, end__isnull=True)
    officer = new_officer()

    with pytest.raises(ValidationError) as exc:  # without replace=True the village is taken
        assignment_start(actor=person("kapolsek"), officer=officer, village=region(LES), start=TODAY)
    assert fields_of(exc) == {"village"}

    posting = assignment_start(actor=person("kapolsek"), officer=officer, village=region(LES),
                               start=TODAY, replace=True)

    current.refresh_from_db()
    assert current.end == TODAY - dt.timedelta(days=1)
    assert posting.end is None and posting.start == TODAY
    history = list(Assignment.objects.filter(village_id=LES).order_by("start"))
    assert history[-2:] == [current, posting]
    actions = set(AuditEntry.objects.filter(region_code=LES).values_list("action", flat=True))
    assert {"assignment.end", "assignment.start"} <= actions


def test_a_replacement_must_start_after_the_current_posting():
    current = Assignment.objects.get(village_id=LES, end__isnull=True)
    with pytest.raises(ValidationError) as exc:
        assignment_start(actor=None, officer=new_officer(), village=region(LES), start=current.start,
                         replace=True)
    assert fields_of(exc) == {"start"}
    current.refresh_from_db()
    assert current.end is None


@pytest.mark.parametrize("username,village", [(OUTSIDER, PACUNG), ("kapolsek", CATURTUNGGAL)])
def test_a_supervisor_cannot_post_officers_outside_their_scope(vacate, username, village):
    vacate(PACUNG, CATURTUNGGAL)
    officer = new_officer() if village == PACUNG else new_officer(code="34.04.07")

    with pytest.raises(PermissionDenied):
        assignment_start(actor=person(username), officer=officer, village=region(village), start=TODAY)
    assert not officer.assignments.exists()


def test_the_supervisor_in_scope_posts_an_officer(vacate):
    vacate(PACUNG)
    posting = assignment_start(actor=person("kapolsek"), officer=new_officer(), village=region(PACUNG),
                               start=TODAY)
    assert posting.active
    assert AuditEntry.objects.filter(action="assignment.start", object_id=str(posting.pk),
                                     actor=person("kapolsek")).exists()


def test_posting_the_same_officer_again_changes_nothing(vacate):
    vacate(PACUNG)
    officer = new_officer()
    first = assignment_start(actor=None, officer=officer, village=region(PACUNG), start=TODAY)
    again = assignment_start(actor=None, officer=officer, village=region(PACUNG), start=TODAY)
    assert again == first
    assert officer.assignments.count() == 1


def test_it_refuses_a_district_as_a_village_and_an_inactive_officer(vacate):
    vacate(PACUNG)
    with pytest.raises(ValidationError) as exc:
        assignment_start(actor=None, officer=new_officer(), village=region(TEJAKULA), start=TODAY)
    assert fields_of(exc) == {"village"}
    with pytest.raises(ValidationError) as exc:
        assignment_start(actor=None, officer=new_officer(nrp="99010002", active=False),
                         village=region(PACUNG), start=TODAY)
    assert fields_of(exc) == {"officer"}


def test_a_posting_cannot_end_before_it_starts():
    current = Assignment.objects.get(village_id=LES, end__isnull=True)
    with pytest.raises(ValidationError) as exc:
        assignment_end(actor=None, assignment=current, end=current.start - dt.timedelta(days=1))
    assert fields_of(exc) == {"end"}


# --- training and equipment ----------------------------------------------------------------

def test_a_training_record_is_added_once_and_audited():
    officer = new_officer()
    kwargs = {"officer": officer, "course": "Pelatihan Polmas dasar", "provider": "SPN Polda",
              "completed_on": dt.date(2025, 3, 1)}

    first = training_record_add(actor=person("kapolsek"), **kwargs)
    again = training_record_add(actor=person("kapolsek"), **kwargs)  # sent twice from the field

    assert again == first
    assert Training.objects.filter(officer=officer).count() == 1
    assert AuditEntry.objects.filter(action="training.add", object_id=str(first.pk)).count() == 1


def test_a_training_record_needs_a_course_and_a_past_date():
    officer = new_officer()
    with pytest.raises(ValidationError) as exc:
        training_record_add(actor=None, officer=officer, course=" ", completed_on=dt.date(2025, 3, 1))
    assert fields_of(exc) == {"course"}
    with pytest.raises(ValidationError) as exc:
        training_record_add(actor=None, officer=officer, course="Mediasi",
                            completed_on=TODAY + dt.timedelta(days=1))
    assert fields_of(exc) == {"completed_on"}


def test_training_records_outside_the_actors_command_are_refused():
    with pytest.raises(PermissionDenied):
        training_record_add(actor=person(OUTSIDER), officer=new_officer(), course="Mediasi",
                            completed_on=dt.date(2025, 3, 1))
    assert not Training.objects.filter(course="Mediasi", officer__nrp="99010001").exists()


def test_equipment_is_registered_to_a_unit_and_its_officer():
    officer = new_officer()
    item = equipment_add(actor=person("kapolsek"), unit=unit("polsek", TEJAKULA), kind="motorbike",
                         officer=officer, condition="fair", acquired_on=dt.date(2024, 1, 2))
    pool = equipment_add(actor=person("kapolres"), unit=unit("polres", BULELENG), kind="car",
                         officer=officer)  # an officer of a Polsek under the Polres

    assert (item.unit.region_id, item.officer, item.condition) == (TEJAKULA, officer, "fair")
    assert pool.officer == officer
    assert AuditEntry.objects.filter(action="equipment.add",
                                     object_id__in=[str(item.pk), str(pool.pk)]).count() == 2


def test_equipment_refuses_an_officer_of_another_unit_and_bad_values():
    depok_officer = new_officer(nrp="99010002", code="34.04.07")
    tejakula = unit("polsek", TEJAKULA)
    before = Equipment.objects.count()
    for kwargs, field in [({"officer": depok_officer}, "officer"), ({"kind": "tank"}, "kind"),
                          ({"condition": "new"}, "condition"),
                          ({"acquired_on": TODAY + dt.timedelta(days=3)}, "acquired_on")]:
        with pytest.raises(ValidationError) as exc:
            equipment_add(actor=None, unit=tejakula, **({"kind": "radio"} | kwargs))
        assert fields_of(exc) == {field}
    assert Equipment.objects.count() == before


def test_equipment_outside_the_actors_command_is_refused():
    with pytest.raises(PermissionDenied):
        equipment_add(actor=person(OUTSIDER), unit=unit("polsek", TEJAKULA), kind="radio")
    with pytest.raises(PermissionDenied):
        equipment_add(actor=person("kapolsek"), unit=unit("polres", BULELENG), kind="radio")
