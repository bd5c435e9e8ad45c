"""An organisation's contact people after it was registered (issue 21, part 1): added,
changed and removed on a page and through the API, by supervisors and admins with the
organisation in their scope; stored encrypted; audited without their values; hostile input
refused naming the field, changing nothing; never on the public profile."""

import pytest
from django.db import connection
from django.test import Client

from api.conftest import assert_error
from conftest import OUTSIDER, person
from polmas.access.models import AuditEntry
from polmas.partners.models import Contact

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


def _stored(contact_id: int) -> tuple:
    """The contact's columns as the database holds them (not decrypted)."""
    with connection.cursor() as cur:
        cur.execute("SELECT name, phone, email FROM partners_contact WHERE id = %s", [contact_id])
        return cur.fetchone()


def _state(org) -> list[tuple]:
    return [(c.name, c.position, c.phone, c.email) for c in org.contacts.order_by("pk")]


def test_api_adds_changes_and_removes_a_contact_encrypted_and_audited(cast, client, token):
    org = cast.business
    url = f"{API}/partners/{org.pk}/contacts"
    r = _call(client, token, "kapolsek", "POST", url, {
        "name": "Ni Luh Sekar", "position": "humas", "phone": "+62 812-3456-7890", "email": "luh@example.id"})
    assert r.status_code == 201, r.content
    new = r.json()["id"]
    assert r.json()["name"] == "Ni Luh Sekar"
    raw = _stored(new)
    assert "Ni Luh Sekar" not in str(raw) and "3456" not in str(raw) and "luh@" not in str(raw)
    listed = _call(client, token, "kapolsek", "GET", url)
    assert [c["name"] for c in listed.json()] == ["Made Pemilik", "Ni Luh Sekar"]

    r = _call(client, token, "kapolsek", "PATCH", f"{url}/{new}", {"phone": "0362 21000"})
    assert r.status_code == 200, r.content
    assert r.json() == {**r.json(), "phone": "0362 21000", "email": "luh@example.id", "name": "Ni Luh Sekar"}
    change = AuditEntry.objects.get(action="partner.contact_update", object_id=str(org.pk))
    assert change.detail == {"contact": new, "changed": ["phone"]}
    assert "0362" not in str(change.detail)  # the audit names fields, never personal data

    r = _call(client, token, "kapolsek", "DELETE", f"{url}/{new}")
    assert r.status_code == 204
    assert not Contact.objects.filter(pk=new).exists()
    assert set(AuditEntry.objects.filter(object_id=str(org.pk), action__startswith="partner.contact_")
               .values_list("action", flat=True)) == {"partner.contact_add", "partner.contact_update",
                                                      "partner.contact_remove"}


@pytest.mark.parametrize("body,field", [
    ({"name": "Ketut", "phone": "call me maybe"}, "phone"),
    ({"name": "Ketut", "phone": "0812<script>"}, "phone"),
    ({"name": "Ketut", "email": "ketut@"}, "email"),
    ({"name": "Ketut", "email": "a@b.c\n"}, "email"),
    ({"name": "   "}, "name"),
    ({"name": "K" * 151}, "name"),
    ({"name": "Ketut\x00"}, "name"),
    ({"name": "Ketut", "position": "ketua\x07"}, "position"),
])
def test_api_refuses_a_hostile_contact_naming_the_field(cast, client, token, body, field):
    before = _state(cast.business)
    audits = AuditEntry.objects.count()
    url = f"{API}/partners/{cast.business.pk}/contacts"
    r = _call(client, token, "kapolsek", "POST", url, body)
    assert_error(r, r.status_code if r.status_code in (400, 422) else 400, field)  # service or schema
    first = cast.business.contacts.get().pk
    patch = {k: v for k, v in body.items() if k != "name" or field == "name"}
    r = _call(client, token, "kapolsek", "PATCH", f"{url}/{first}", patch)
    assert_error(r, r.status_code if r.status_code in (400, 422) else 400, field)
    assert _state(cast.business) == before
    assert AuditEntry.objects.exclude(action__startswith="token.").count() == audits


def test_api_contacts_are_for_managers_in_scope_only(cast, client, token):
    url = f"{API}/partners/{cast.business.pk}/contacts"
    first = cast.business.contacts.get().pk
    for user in ("bhabin", "ppa", "biz"):  # no manager: not even the organisation's own staff
        assert _call(client, token, user, "GET", url).status_code == 403
        assert _call(client, token, user, "POST", url, {"name": "X"}).status_code == 403
    assert _call(client, token, OUTSIDER, "GET", url).status_code == 404
    assert _call(client, token, OUTSIDER, "PATCH", f"{url}/{first}", {"name": "X"}).status_code == 404
    assert _call(client, token, OUTSIDER, "DELETE", f"{url}/{first}").status_code == 404
    # A contact of one organisation, asked for under another: not found.
    other = f"{API}/partners/{cast.ngo.pk}/contacts/{first}"
    assert _call(client, token, "kapolsek", "PATCH", other, {"name": "X"}).status_code == 404
    assert _call(client, token, "kapolsek", "DELETE", other).status_code == 404
    assert cast.business.contacts.get().name == "Made Pemilik"


def test_the_page_adds_changes_and_removes_contacts(cast):
    org = cast.business
    c = _page("kapolsek")
    url = f"/mitra/{org.pk}/kontak/"
    page = c.get(url)
    assert page.status_code == 200
    assert "Made Pemilik" in page.content.decode() and "081234567890" in page.content.decode()
    assert page["Cache-Control"] and "no-store" in page["Cache-Control"]
    r = c.post(url, {"new-name": "Gede Wira", "new-phone": "0811 222 333", "new-email": ""})
    assert r.status_code == 302 and r["Location"] == url
    added = next(x for x in org.contacts.all() if x.name == "Gede Wira")  # encrypted: no SQL filter
    p = f"c{added.pk}-"
    r = c.post(f"{url}{added.pk}/", {p + "name": "Gede Wirawan", p + "position": "sekretaris",
                                     p + "phone": "0811 222 333", p + "email": "g@example.id"})
    assert r.status_code == 302
    added.refresh_from_db()
    assert (added.name, added.position, added.email) == ("Gede Wirawan", "sekretaris", "g@example.id")
    r = c.post(f"{url}{added.pk}/hapus/")
    assert r.status_code == 302 and not Contact.objects.filter(pk=added.pk).exists()
    # The public profile still shows none of them.
    profile = Client().get(f"/mitra/{org.pk}/").content.decode()
    assert "Made Pemilik" not in profile and "081234567890" not in profile


def test_the_page_refuses_hostile_input_naming_the_field(cast):
    org = cast.business
    first = org.contacts.get()
    c = _page("kapolsek")
    url = f"/mitra/{org.pk}/kontak/"
    r = c.post(url, {"new-name": "Gede", "new-email": "not-an-address"})
    assert r.status_code == 400
    errors = r.content.decode()
    assert 'id="new-errors"' in errors and "E-mail" in errors and "valid e-mail" in errors
    r = c.post(f"{url}{first.pk}/", {f"c{first.pk}-name": "Made", f"c{first.pk}-phone": "08x12"})
    assert r.status_code == 400
    assert f'id="c{first.pk}-errors"' in r.content.decode() and "phone number" in r.content.decode()
    assert _state(org) == [("Made Pemilik", "ketua", "081234567890", "m@example.id")]


def test_the_pages_are_for_managers_in_scope(cast):
    org = cast.business
    first = org.contacts.get().pk
    url = f"/mitra/{org.pk}/kontak/"
    for user in ("bhabin", "biz"):
        assert _page(user).get(url).status_code == 403
        assert _page(user).post(f"{url}{first}/hapus/").status_code == 403
    outsider = _page(OUTSIDER)
    assert outsider.get(url).status_code == 404
    assert outsider.post(f"{url}{first}/hapus/").status_code == 404
    assert outsider.post(f"{url}{first}/", {f"c{first}-name": "X"}).status_code == 404
    assert _page("kapolsek").post(f"/mitra/{cast.ngo.pk}/kontak/{first}/hapus/").status_code == 404
    assert Client().get(url).status_code == 302
    assert org.contacts.get().name == "Made Pemilik"
