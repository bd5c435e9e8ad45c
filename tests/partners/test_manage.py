"""Creating and editing partner organisations, programmes and services (pages and API):
supervisors and admins in their scope (services also PPA officers), every field checked
with errors naming it, the audit log written, 404 outside scope, and a GET never writes."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from api.conftest import assert_error
from conftest import person
from polmas.access.models import AuditEntry
from polmas.partners.models import Organisation, Programme, Service

from .conftest import COMPARE, DEPOK, LES, OTHER_TEJAKULA, TEJAKULA

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _call(client, token, username, method, path, body=None):
    headers = {"Authorization": f"Bearer {token(username)}", "Accept-Language": "en"}
    fn = getattr(client, method.lower())
    if body is None:
        return fn(path, headers=headers)
    return fn(path, body, content_type="application/json", headers=headers)


def _page(username: str) -> Client:
    c = Client(headers={"Accept-Language": "en"})
    c.force_login(person(username))
    return c


def _rows() -> tuple[int, int, int, int]:
    return (Organisation.objects.count(), Programme.objects.count(), Service.objects.count(),
            AuditEntry.objects.exclude(action__startswith="token.").count())


# --- API: organisations -------------------------------------------------------------------

def test_api_registers_an_organisation_and_audits_it(cast, client, token):
    r = _call(client, token, "kapolsek", "POST", f"{API}/partners", {
        "name": "Desa Adat Les", "kind": "religious", "places": [LES],
        "contacts": [{"name": "Jero Bendesa", "phone": "0812"}]})
    assert r.status_code == 201, r.content
    org = Organisation.objects.get(pk=r.json()["id"])
    assert r.json()["places"] == [LES] and org.contacts.get().phone == "0812"
    assert AuditEntry.objects.filter(action="partner.create", object_id=str(org.pk)).exists()


@pytest.mark.parametrize("body,field", [
    ({"places": [DEPOK]}, "places"),            # outside Tejakula
    ({"places": ["99.99"]}, "places"),          # no such region
    ({"places": []}, "places"),
    ({"name": "Yayasan Les Aman"}, "name"),     # registered already
    ({"website": "javascript:alert(1)"}, "website"),
])
def test_api_refuses_a_bad_organisation_naming_the_field(cast, client, token, body, field):
    before = _rows()
    r = _call(client, token, "kapolsek", "POST", f"{API}/partners",
              {"name": "Baru", "kind": "ngo", "places": [LES]} | body)
    assert_error(r, 400, field)
    assert _rows() == before


def test_api_organisation_writes_need_a_manager(cast, client, token):
    before = _rows()
    body = {"name": "Baru", "kind": "ngo", "places": [LES]}
    for username in ("bhabin", "ppa", "warga", "mitra"):
        assert _call(client, token, username, "POST", f"{API}/partners", body).status_code == 403
        assert _call(client, token, username, "PATCH", f"{API}/partners/{cast.ngo.pk}",
                     {"name": "X"}).status_code in (403, 404)
    assert _call(client, token, "kapolsek", "POST", f"{API}/partners",
                 body | {"kind": "nope"}).status_code == 422
    assert _rows() == before


def test_api_edits_an_organisation_keeping_its_places_elsewhere(cast, client, token):
    admin = person("admin")
    from polmas.partners import services
    org = services.organisation_create(actor=admin, name="Lintas Provinsi", kind="ngo", places=[LES, DEPOK])
    r = _call(client, token, "kapolsek", "PATCH", f"{API}/partners/{org.pk}",
              {"places": [OTHER_TEJAKULA], "description": "Bekerja di dua provinsi."})
    assert r.status_code == 200, r.content
    assert set(r.json()["places"]) == {OTHER_TEJAKULA, DEPOK}  # Depok is not Tejakula's to remove
    org.refresh_from_db()
    assert org.description == "Bekerja di dua provinsi." and org.name == "Lintas Provinsi"
    log = AuditEntry.objects.get(action="partner.update", object_id=str(org.pk))
    assert log.detail["changed"] == ["description", "places"]
    # Outside the caller's scope: 404, nothing changed.
    r = _call(client, token, "kapolsek_depok", "PATCH", f"{API}/partners/{cast.ngo.pk}", {"name": "X"})
    assert_error(r, 404)
    r = _call(client, token, "kapolsek", "PATCH", f"{API}/partners/{org.pk}", {"website": "ftp://x"})
    assert_error(r, 400, "website")
    assert _call(client, token, "kapolsek", "PATCH", f"{API}/partners/{org.pk}",
                 {"name": "Yayasan Les Aman"}).status_code == 400
    assert Organisation.objects.get(pk=org.pk).name == "Lintas Provinsi"


# --- API: programmes -----------------------------------------------------------------------

def _programme_body(cast, **over):
    today = timezone.localdate()
    return {"organisation_id": cast.ngo.pk, "name": "Desa Les ramah anak", "objectives": "Mediasi KDRT.",
            "places": [LES], "comparison": [COMPARE], "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=90)).isoformat()} | over


def test_api_starts_and_edits_a_programme(cast, client, token):
    r = _call(client, token, "kapolsek", "POST", f"{API}/programmes", _programme_body(cast))
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert AuditEntry.objects.filter(action="programme.create", object_id=str(pk)).exists()
    r = _call(client, token, "kapolsek", "PATCH", f"{API}/programmes/{pk}",
              {"name": "Les ramah anak", "places": [LES, OTHER_TEJAKULA]})
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "Les ramah anak" and set(r.json()["places"]) == {LES, OTHER_TEJAKULA}
    assert r.json()["comparison"] == [COMPARE]
    assert AuditEntry.objects.filter(action="programme.update", object_id=str(pk)).exists()


@pytest.mark.parametrize("over,field", [
    ({"ends_on": "2020-01-01"}, "ends_on"),
    ({"comparison": [LES]}, "comparison"),
    ({"places": [DEPOK]}, "places"),
    ({"objectives": " "}, None),  # the document's pattern: 422
])
def test_api_refuses_a_bad_programme(cast, client, token, over, field):
    before = _rows()
    r = _call(client, token, "kapolsek", "POST", f"{API}/programmes", _programme_body(cast, **over))
    if field is None:
        assert r.status_code == 422
    else:
        assert_error(r, 400, field)
    r = _call(client, token, "kapolsek", "PATCH", f"{API}/programmes/{cast.programme.pk}",
              {k: v for k, v in over.items()})
    assert r.status_code in (400, 422)
    assert _rows() == before
    cast.programme.refresh_from_db()
    assert cast.programme.ends_on > cast.programme.starts_on


def test_api_programme_outside_scope_is_404(cast, client, token):
    r = _call(client, token, "kapolsek_depok", "POST", f"{API}/programmes", _programme_body(cast))
    assert_error(r, 404)
    r = _call(client, token, "kapolsek_depok", "PATCH", f"{API}/programmes/{cast.programme.pk}",
              {"name": "X"})
    assert_error(r, 404)
    assert _call(client, token, "bhabin", "PATCH", f"{API}/programmes/{cast.programme.pk}",
                 {"name": "X"}).status_code == 403


# --- API: services -------------------------------------------------------------------------

def test_api_lists_and_edits_a_service(cast, client, token):
    r = _call(client, token, "ppa", "POST", f"{API}/services",
              {"name": "Puskesmas Tejakula", "kind": "health", "region": TEJAKULA, "hours": "24 jam"})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = _call(client, token, "kapolsek", "PATCH", f"{API}/services/{pk}",
              {"phone": "0362-111", "public": False, "organisation_id": cast.ngo.pk})
    assert r.status_code == 200, r.content
    assert r.json()["phone"] == "0362-111" and r.json()["public"] is False
    assert r.json()["organisation_id"] == cast.ngo.pk
    assert AuditEntry.objects.filter(action="service.update", object_id=str(pk)).exists()
    r = _call(client, token, "kapolsek", "PATCH", f"{API}/services/{pk}", {"organisation_id": 0})
    assert r.json()["organisation_id"] is None


def test_api_service_refusals(cast, client, token):
    pk = cast.buleleng_ppa.pk  # serves the regency 51.08
    before = (_rows(), list(Service.objects.values_list("phone", flat=True)))
    # A Tejakula supervisor does not edit the regency's service; Depok sees none of Bali's.
    assert_error(_call(client, token, "kapolsek", "PATCH", f"{API}/services/{pk}", {"phone": "1"}), 404)
    assert_error(_call(client, token, "kapolsek_depok", "PATCH", f"{API}/services/{pk}", {"phone": "1"}), 404)
    assert _call(client, token, "bhabin", "PATCH", f"{API}/services/{pk}", {"phone": "1"}).status_code == 403
    assert_error(_call(client, token, "kapolres", "PATCH", f"{API}/services/{pk}", {"region": DEPOK}),
                 400, "region")
    assert_error(_call(client, token, "kapolres", "PATCH", f"{API}/services/{pk}",
                       {"organisation_id": 987654}), 400, "organisation")
    assert_error(_call(client, token, "kapolres", "POST", f"{API}/services",
                       {"name": "X", "kind": "health", "region": "99"}), 400, "region")
    assert (_rows(), list(Service.objects.values_list("phone", flat=True))) == before
    r = _call(client, token, "kapolres", "PATCH", f"{API}/services/{pk}", {"hours": "07.30-15.00"})
    assert r.status_code == 200 and r.json()["hours"] == "07.30-15.00"


# --- Pages ---------------------------------------------------------------------------------

def test_the_pages_create_and_edit_and_a_get_never_writes(cast):
    kapolsek = _page("kapolsek")
    before = _rows()
    for url in ("/mitra/baru/", f"/mitra/{cast.ngo.pk}/ubah/", f"/mitra/{cast.ngo.pk}/program/baru/",
                f"/mitra/program/{cast.programme.pk}/ubah/", "/mitra/layanan/baru/",
                f"/mitra/{cast.ngo.pk}/", f"/mitra/program/{cast.programme.pk}/"):
        assert kapolsek.get(url).status_code == 200, url
    assert _rows() == before
    r = kapolsek.post("/mitra/baru/", {"name": "Karang Taruna Les", "kind": "ngo", "places": LES,
                                       "contact_name": "Putu", "contact_phone": "0813"})
    org = Organisation.objects.get(name="Karang Taruna Les")
    assert r.status_code == 302 and r["Location"] == f"/mitra/{org.pk}/"
    assert org.contacts.get().name == "Putu"
    r = kapolsek.post(f"/mitra/{org.pk}/ubah/", {"name": "Karang Taruna Desa Les", "kind": "ngo",
                                                 "places": f"{LES}, {OTHER_TEJAKULA}", "active": "on"})
    assert r.status_code == 302
    org.refresh_from_db()
    assert org.name == "Karang Taruna Desa Les"
    assert set(org.places.values_list("code", flat=True)) == {LES, OTHER_TEJAKULA}
    today = timezone.localdate()
    r = kapolsek.post(f"/mitra/{org.pk}/program/baru/", {
        "name": "Les aman", "objectives": "Ronda bergilir.", "places": LES,
        "starts_on": today, "ends_on": today + dt.timedelta(days=10)})
    programme = Programme.objects.get(name="Les aman")
    assert r.status_code == 302 and r["Location"] == f"/mitra/program/{programme.pk}/"
    r = kapolsek.post(f"/mitra/program/{programme.pk}/ubah/", {
        "name": "Les aman", "objectives": "Ronda bergilir.", "places": LES, "comparison": COMPARE,
        "starts_on": today, "ends_on": today + dt.timedelta(days=20)})
    assert r.status_code == 302
    programme.refresh_from_db()
    assert programme.ends_on == today + dt.timedelta(days=20)
    r = kapolsek.post("/mitra/layanan/baru/", {"name": "LBH Tejakula", "kind": "legal_aid",
                                                "region": TEJAKULA, "public": "on"})
    assert r.status_code == 302
    service = Service.objects.get(name="LBH Tejakula")
    r = kapolsek.post(f"/mitra/layanan/{service.pk}/ubah/", {
        "name": "LBH Tejakula", "kind": "legal_aid", "region": TEJAKULA, "hours": "Senin-Jumat",
        "public": "on", "active": "on"})
    assert r.status_code == 302
    assert Service.objects.get(pk=service.pk).hours == "Senin-Jumat"
    assert set(AuditEntry.objects.filter(actor=person("kapolsek")).values_list("action", flat=True)) >= {
        "partner.create", "partner.update", "programme.create", "programme.update", "service.create",
        "service.update"}


def test_the_pages_name_the_field_and_change_nothing(cast):
    kapolsek = _page("kapolsek")
    before = _rows()
    today = timezone.localdate()
    r = kapolsek.post("/mitra/baru/", {"name": "Baru", "kind": "ngo", "places": DEPOK})
    assert r.status_code == 400
    text = r.content.decode()
    assert "Places (region codes" in text and "Outside your area: 34.04.07" in text
    r = kapolsek.post(f"/mitra/{cast.ngo.pk}/program/baru/", {
        "name": "P", "objectives": "O", "places": LES, "starts_on": today,
        "ends_on": today - dt.timedelta(days=1)})
    assert r.status_code == 400 and "is before the start" in r.content.decode()
    r = kapolsek.post("/mitra/layanan/baru/", {"name": "S", "kind": "shelter", "region": DEPOK})
    assert r.status_code == 400 and "Region it serves" in r.content.decode()
    assert _rows() == before


def test_the_pages_refuse_outside_scope_and_non_managers(cast):
    depok, bhabin = _page("kapolsek_depok"), _page("bhabin")
    for url in (f"/mitra/{cast.ngo.pk}/ubah/", f"/mitra/{cast.ngo.pk}/program/baru/",
                f"/mitra/program/{cast.programme.pk}/ubah/", f"/mitra/layanan/{cast.buleleng_ppa.pk}/ubah/"):
        assert depok.get(url).status_code == 404, url
        assert bhabin.get(url).status_code == 403, url
    assert bhabin.get("/mitra/baru/").status_code == 403
    assert _page("kapolsek").get(f"/mitra/layanan/{cast.buleleng_ppa.pk}/ubah/").status_code == 404
    assert _page("kapolres").get(f"/mitra/layanan/{cast.buleleng_ppa.pk}/ubah/").status_code == 200
    assert Client().get("/mitra/baru/").status_code == 302


def test_deactivating_an_organisation_returns_to_the_list(cast):
    kapolsek = _page("kapolsek")
    r = kapolsek.post(f"/mitra/{cast.ngo.pk}/ubah/", {"name": cast.ngo.name, "kind": "ngo", "places": LES})
    assert r.status_code == 302 and r["Location"] == "/mitra/"
    assert not Organisation.objects.get(pk=cast.ngo.pk).active
    assert Client().get(f"/mitra/{cast.ngo.pk}/").status_code == 404
