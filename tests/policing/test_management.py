"""Officer and posting management outside the Django admin (issue 15): supervisors post,
transfer and end postings and record training and equipment on /petugas/ and through the
API, by the services (jurisdiction check, scope, audit log); the admin only shows them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import OUTSIDER, person
from policing.places import LES, PACUNG, PENUKTUKAN, TAMBAKAN, TEJAKULA, region
from polmas.access.models import AuditEntry
from polmas.policing import services
from polmas.policing.models import Assignment, Equipment, Officer, Training

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}
TODAY = dt.date.today()


def les_posting() -> Assignment:
    return Assignment.objects.select_related("officer__unit").get(village_id=LES, end__isnull=True)


# --- the service ----------------------------------------------------------------------------

def test_a_transfer_ends_the_posting_the_day_before_and_starts_the_new_one(vacate):
    vacate(PENUKTUKAN)
    posting = les_posting()
    start = max(posting.start + dt.timedelta(days=2), TODAY)

    new = services.assignment_transfer(actor=person("kapolsek"), assignment=posting,
                                       village=region(PENUKTUKAN), start=start)

    posting.refresh_from_db()
    assert posting.end == start - dt.timedelta(days=1)
    assert (new.officer_id, new.village_id, new.start, new.end) == (
        posting.officer_id, PENUKTUKAN, start, None)
    actions = set(AuditEntry.objects.filter(actor__username="kapolsek").values_list("action", flat=True))
    assert {"assignment.end", "assignment.start"} <= actions


def test_a_transfer_outside_the_officers_polsek_is_refused_naming_the_village():
    posting = les_posting()
    with pytest.raises(ValidationError) as exc:
        services.assignment_transfer(actor=person("kapolres"), assignment=posting,
                                     village=region(TAMBAKAN), start=TODAY + dt.timedelta(days=1))
    message = exc.value.message_dict["village"][0]
    assert TAMBAKAN in message and "Polsek Tejakula" in message
    posting.refresh_from_db()
    assert posting.end is None


# --- the pages ------------------------------------------------------------------------------

def test_the_kapolsek_lists_the_officers_of_his_polsek(login):
    page = login("kapolsek").get("/petugas/", headers=EN).content.decode()
    assert f'data-officer="{les_posting().officer_id}"' in page


@pytest.mark.parametrize("who", ["bhabin", "ppa", "fkpm", "warga", "bappenas", "mitra"])
def test_others_get_404(login, who):
    client = login(who)
    assert client.get("/petugas/").status_code == 404
    assert client.get(f"/petugas/{les_posting().officer_id}/").status_code == 404


def test_an_outsider_supervisor_gets_404_for_a_bali_officer(login):
    assert login(OUTSIDER).get(f"/petugas/{les_posting().officer_id}/").status_code == 404


def test_the_page_transfers_an_officer(login, vacate):
    vacate(PACUNG)
    posting = les_posting()
    start = max(posting.start + dt.timedelta(days=2), TODAY)
    client = login("kapolsek")
    page = client.get(f"/petugas/{posting.officer_id}/", headers=EN).content.decode()
    assert f'<option value="{PACUNG}"' in page and f'<option value="{TAMBAKAN}"' not in page

    response = client.post(f"/petugas/{posting.officer_id}/", {
        "action": "transfer", "assignment": posting.pk, "village": PACUNG, "start": start.isoformat()})

    assert response.status_code == 302
    assert Assignment.objects.get(village_id=PACUNG, end__isnull=True).officer_id == posting.officer_id


def test_the_page_refuses_a_village_outside_the_polsek_with_a_clear_error(login):
    posting = les_posting()
    response = login("kapolres").post(f"/petugas/{posting.officer_id}/", {
        "action": "post", "village": TAMBAKAN, "start": TODAY.isoformat()}, headers=EN)
    assert response.status_code == 400
    assert "lies outside the jurisdiction of" in response.content.decode()
    assert not Assignment.objects.filter(village_id=TAMBAKAN, officer_id=posting.officer_id).exists()


def test_the_page_refuses_a_village_outside_the_supervisors_area(login, vacate):
    # Polsek Tejakula's kapolsek posting one of his officers in a village of another district.
    posting = les_posting()
    response = login("kapolsek").post(f"/petugas/{posting.officer_id}/", {
        "action": "post", "village": TAMBAKAN, "start": TODAY.isoformat()}, headers=EN)
    assert response.status_code == 400
    assert "outside your area" in response.content.decode()


def test_the_page_ends_a_posting_and_records_training_and_equipment(login):
    posting = les_posting()
    client = login("kapolsek")
    url = f"/petugas/{posting.officer_id}/"
    assert client.post(url, {"action": "training", "course": "Pelatihan FKPM", "completed_on": "2025-03-01",
                             "provider": "SPN Polda Bali"}).status_code == 302
    assert client.post(url, {"action": "equipment", "kind": "motorbike", "condition": "good",
                             "description": "Honda Revo"}).status_code == 302
    assert client.post(url, {"action": "end", "assignment": posting.pk,
                             "end": TODAY.isoformat()}).status_code == 302
    assert Training.objects.filter(officer_id=posting.officer_id, course="Pelatihan FKPM").exists()
    assert Equipment.objects.filter(officer_id=posting.officer_id, description="Honda Revo").exists()
    posting.refresh_from_db()
    assert posting.end == TODAY
    assert AuditEntry.objects.filter(action__in=["training.add", "equipment.add", "assignment.end"],
                                     actor__username="kapolsek").count() == 3


def test_a_bad_date_is_refused_naming_the_field(login):
    posting = les_posting()
    response = login("kapolsek").post(f"/petugas/{posting.officer_id}/", {
        "action": "training", "course": "X", "completed_on": "kemarin"}, headers=EN)
    assert response.status_code == 400
    assert 'id="field-id_training_completed_on"' in response.content.decode()
    assert not Training.objects.filter(officer_id=posting.officer_id, course="X").exists()


# --- the API --------------------------------------------------------------------------------

def test_the_api_posts_and_refuses_a_village_outside_the_polsek(api, vacate):
    vacate(PENUKTUKAN)
    officer = les_posting().officer
    client = api("kapolres")
    url = f"/api/v1/officers/{officer.pk}/assignments"
    r = client.post(url, {"village": TAMBAKAN, "start": TODAY.isoformat()})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "village"
    r = client.post(url, {"village": PENUKTUKAN, "start": TODAY.isoformat()})
    assert r.status_code == 200 and PENUKTUKAN in r.json()["villages"]


def test_the_api_answers_404_outside_scope_and_403_to_a_reader(api):
    officer = les_posting().officer
    body = {"course": "Pelatihan", "completed_on": "2025-01-01"}
    assert api(OUTSIDER).post(f"/api/v1/officers/{officer.pk}/training", body).status_code == 404
    assert api("bhabin").post(f"/api/v1/officers/{officer.pk}/training", body).status_code == 403
    assert api("kapolsek").post(f"/api/v1/officers/{officer.pk}/training", body).status_code == 200


# --- the admin: read-only -------------------------------------------------------------------

def test_the_admin_can_no_longer_post_an_officer_outside_his_polsek_unaudited(login):
    """Before: the officer's inline in the admin posted him to any village, without the
    jurisdiction check and without an audit entry."""
    officer = les_posting().officer
    client = login("admin")
    page = client.get(f"/admin/policing/officer/{officer.pk}/change/")
    assert page.status_code == 200
    assert 'name="assignments-0-village"' not in page.content.decode()  # shown, not editable
    before = Assignment.objects.count()
    response = client.post(f"/admin/policing/officer/{officer.pk}/change/", {
        "nrp": officer.nrp, "name": officer.name, "rank": officer.rank, "unit": officer.unit_id,
        "function": officer.function, "active": "on",
        "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0",
        "assignments-0-village": TAMBAKAN, "assignments-0-start": TODAY.isoformat(),
        "trainings-TOTAL_FORMS": "0", "trainings-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    assert Assignment.objects.count() == before
    assert client.get("/admin/policing/assignment/add/").status_code in (403, 404)
    assert client.get("/admin/policing/equipment/add/").status_code == 403
    assert client.get("/admin/policing/officer/add/").status_code == 403
    assert Officer.objects.filter(pk=officer.pk, unit__region_id=TEJAKULA).exists()
