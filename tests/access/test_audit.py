import pytest

from conftest import person
from polmas.access.models import AuditEntry
from polmas.forums.models import Forum

pytestmark = pytest.mark.django_db


def test_an_edit_in_the_admin_lands_in_the_audit_log(client):
    client.force_login(person("admin"))
    forum = Forum.objects.filter(village_id="51.08.09.2007").first()
    response = client.post(f"/admin/forums/forum/{forum.pk}/change/", {
        "name": "FKPM Les Bersatu", "model": forum.model, "zone_kind": forum.zone_kind,
        "local_name": forum.local_name, "village": forum.village_id, "unit": forum.unit_id or "",
        "status": "active", "founded_on": forum.founded_on.isoformat(), "meeting_place": "",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(forum.pk))
    assert entry.actor_name == "admin"
    assert entry.object_type == "forums.forum"
    assert "FKPM Les Bersatu" in entry.detail["repr"]


def test_a_resident_cannot_open_the_admin(client):
    client.force_login(person("warga"))
    response = client.get("/admin/forums/forum/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_api_token_cannot_be_edited_in_the_admin(client):
    """A token ends through access.tokens (its whole login, audited); the admin only shows it."""
    from polmas.access.models import ApiToken
    from polmas.access.tokens import token_issue

    token_issue(user=person("kapolsek"), name="ponsel")
    token = ApiToken.objects.get(user=person("kapolsek"))
    client.force_login(person("admin"))
    assert client.get(f"/admin/access/apitoken/{token.pk}/change/").status_code == 200  # a view
    response = client.post(f"/admin/access/apitoken/{token.pk}/change/",
                           {"name": "x", "revoked_at_0": "2026-01-01", "revoked_at_1": "00:00",
                            "revoked_reason": "refreshed"})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None and token.name == "ponsel"
