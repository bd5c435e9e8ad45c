"""The officer's activity and roster forms on a phone (issue 15, item 13): the roster's
volunteer days are names, not "0246"; a check-in can be taken back by the officer who made it,
within a window, audited; the activity form offers "use my location" and shows each kind's
fields only; a district's board has one Desa column."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from conftest import person
from polmas.access.models import AuditEntry
from polmas.activities.forms import RosterForm, days_named, days_parsed
from polmas.activities.models import ShiftVolunteer
from polmas.activities.rosters import UNDO_WINDOW, roster_check_in, roster_check_in_undo, roster_generate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, days", [("Sen, Rab, Jum, Min", "0246"), ("mon wed", "02"),
                                        ("Senin/Selasa", "01"), ("0246", "0246"), ("", ""),
                                        ("Sabtu Minggu", "56")])
def test_volunteer_days_are_read_as_names(text, days):
    assert days_parsed(text) == days


@pytest.mark.parametrize("text", ["Kapan saja", "7", "Senen"])
def test_a_line_with_no_day_names_is_refused_naming_the_line(text):
    form = RosterForm({"village": "x", "volunteers": f"Wayan; ; {text}"}, villages=[])
    with translation.override("en"):
        form.is_valid()
        assert "Line 1" in " ".join(form.errors.get("volunteers", []))


def test_the_volunteer_help_shows_day_names_not_digits():
    with translation.override("en"):
        help_text = str(RosterForm.base_fields["volunteers"].help_text)
    assert "0246" not in help_text and "Mon, Wed, Fri" in help_text
    assert days_named("0246") == "Sen, Rab, Jum, Min" and days_named("0123456") == ""
    with translation.override("en"):
        assert days_named("0246") == "Mon, Wed, Fri, Sun"


def _checked_in(roster, actor: str = "bhabin") -> ShiftVolunteer:
    roster = roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    tonight = ShiftVolunteer.objects.filter(shift__roster=roster, night=timezone.localdate()).first()
    return roster_check_in(actor=person(actor), roster_id=roster.pk, place=tonight.pk)


def test_the_officer_takes_back_a_check_in_within_the_window(roster):
    place = _checked_in(roster)
    undone = roster_check_in_undo(actor=person("bhabin"), roster_id=roster.pk, place=place.pk)
    assert undone.checked_in_at is None and undone.checked_in_by is None
    assert AuditEntry.objects.filter(action="roster.check_in_undo", actor=person("bhabin")).exists()


def test_only_who_checked_in_may_take_it_back(roster):
    place = _checked_in(roster, actor="fkpm")
    with pytest.raises(ValidationError):
        roster_check_in_undo(actor=person("bhabin"), roster_id=roster.pk, place=place.pk)
    assert ShiftVolunteer.objects.get(pk=place.pk).checked_in_at is not None


def test_a_check_in_cannot_be_taken_back_after_the_window(roster):
    place = _checked_in(roster)
    ShiftVolunteer.objects.filter(pk=place.pk).update(
        checked_in_at=timezone.now() - UNDO_WINDOW - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        roster_check_in_undo(actor=person("bhabin"), roster_id=roster.pk, place=place.pk)
    assert ShiftVolunteer.objects.get(pk=place.pk).checked_in_at is not None


def test_the_roster_page_offers_undo_to_whoever_checked_in(roster, login):
    place = _checked_in(roster)
    page = login("bhabin").get(f"/kegiatan/ronda/{roster.pk}/").content.decode()
    assert f'/kegiatan/ronda/{roster.pk}/hadir/batal/' in page
    posted = login("bhabin").post(f"/kegiatan/ronda/{roster.pk}/hadir/batal/", {"place": place.pk})
    assert posted.status_code == 302 and ShiftVolunteer.objects.get(pk=place.pk).checked_in_at is None


def test_the_roster_edit_form_lists_days_by_name(roster, login):
    from polmas.activities.models import Volunteer

    Volunteer.objects.filter(roster=roster, name="Warga 1").update(available="0246")
    client = login("bhabin")
    page = client.get(f"/kegiatan/ronda/{roster.pk}/ubah/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    lines = page.split('name="volunteers"', 1)[1].split("</textarea>", 1)[0]
    assert "Warga 1; ; Mon, Wed, Fri, Sun" in lines and "0123456" not in lines and "0246" not in lines


def test_the_activity_form_has_a_location_button_and_kind_fields(login):
    page = login("bhabin").get("/kegiatan/baru/").content.decode()
    assert 'id="use-location"' in page and "activity_form.js" in page
    assert 'data-kinds="visit"' in page and 'data-kinds="outreach"' in page
    assert 'name="latitude"' in page  # still typed by hand, or left empty


def test_a_districts_board_has_one_desa_column(login):
    district = login("kapolres").get("/dashboard/51.08.09/")
    assert district.status_code == 200 and 'data-col="villages"' not in district.content.decode()
    regency = login("kapolres").get("/dashboard/51.08/")
    assert regency.status_code == 200 and 'data-col="villages"' in regency.content.decode()


@pytest.mark.parametrize("place", ["²", "١٢", "9" * 40, "x"])
@pytest.mark.parametrize("action", ["hadir", "hadir/batal"])
def test_a_place_that_is_no_number_changes_nothing_and_is_refused(roster, login, action, place):
    """"²" and Arabic-Indic digits pass str.isdigit but not int(): they must be refused, not a 500."""
    checked = _checked_in(roster)
    posted = login("bhabin").post(f"/kegiatan/ronda/{roster.pk}/{action}/", {"place": place})
    assert posted.status_code == 302
    assert ShiftVolunteer.objects.get(pk=checked.pk).checked_in_at is not None
    assert ShiftVolunteer.objects.filter(checked_in_at__isnull=False).count() == 1
