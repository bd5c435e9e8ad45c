"""GET /forums and /forums/{id}: FKPM forums in scope, members without their contacts."""

import pytest

from api.conftest import API, BULELENG, LES, TEJAKULA, all_items, assert_error, under
from conftest import OUTSIDER, OUTSIDER_DISTRICT
from polmas.forums.models import Forum, Member

pytestmark = pytest.mark.django_db

FORUMS = f"{API}/forums"


def forums_in(prefix: str) -> set[int]:
    return set(Forum.objects.filter(under("village__code", prefix)).values_list("pk", flat=True))


def forum_of_les() -> Forum:
    return Forum.objects.filter(village_id=LES).order_by("pk").first()


def test_a_kapolsek_sees_exactly_the_forums_of_their_district(api):
    ids = {f["id"] for f in all_items(api("kapolsek"), FORUMS)}
    assert ids == forums_in(TEJAKULA) and forum_of_les().pk in ids


def test_a_kapolres_sees_exactly_the_forums_of_their_regency(api):
    assert {f["id"] for f in all_items(api("kapolres"), FORUMS)} == forums_in(BULELENG)


def test_a_forum_member_sees_the_forums_of_their_village(api):
    assert {f["id"] for f in all_items(api("fkpm"), FORUMS)} == forums_in(LES)


def test_it_shows_a_forum_with_its_active_members(api):
    forum = forum_of_les()
    body = api("kapolsek").get(f"{FORUMS}/{forum.pk}").json()
    assert {k: body[k] for k in ("id", "name", "model", "village_code", "status")} == {
        "id": forum.pk, "name": forum.name, "model": forum.model, "village_code": LES,
        "status": forum.status}
    expected = forum.members.filter(active=True)
    assert sorted(m["name"] for m in body["members"]) == sorted(m.name for m in expected)
    assert {"name": "Ni Ketut Sariasih", "role": "secretary", "group": "women"} in body["members"]


def test_it_leaves_out_members_who_left(api):
    forum = forum_of_les()
    gone = forum.members.exclude(name="Ni Ketut Sariasih").order_by("pk").first()
    Member.objects.filter(pk=gone.pk).update(active=False)
    names = [m["name"] for m in api("kapolsek").get(f"{FORUMS}/{forum.pk}").json()["members"]]
    assert gone.name not in names


def test_it_never_shows_member_phone_or_email(api):
    forum = forum_of_les()
    for i, member in enumerate(forum.members.all()):
        member.phone, member.email = f"+62 812 7777 {i:04d}", f"member{i}.secret@example.test"
        member.save()
    for username in ("kapolsek", "admin", "fkpm"):
        for response in (api(username).get(f"{FORUMS}/{forum.pk}"), api(username).get(FORUMS)):
            assert response.status_code == 200
            assert b"7777" not in response.content and b".secret@" not in response.content
            assert b'"phone"' not in response.content and b'"email"' not in response.content


def test_it_hides_forums_of_other_polres(api):
    other = Forum.objects.filter(village__code__startswith="51.").exclude(
        pk__in=forums_in(BULELENG)).order_by("pk").first()
    assert_error(api("kapolres").get(f"{FORUMS}/{other.pk}"), 404)
    assert other.pk not in {f["id"] for f in all_items(api("kapolres"), FORUMS)}


def test_it_hides_a_forum_in_tejakula_from_a_supervisor_in_yogyakarta(english):
    body = assert_error(english(f"{FORUMS}/{forum_of_les().pk}", OUTSIDER), 404)
    assert body == {"detail": "Not found.", "errors": []}


def test_a_supervisor_in_yogyakarta_lists_only_their_district(api):
    ids = {f["id"] for f in all_items(api(OUTSIDER), FORUMS)}
    assert ids == forums_in(OUTSIDER_DISTRICT) and ids


def test_a_resident_sees_no_forums(api):
    assert api("warga").get(FORUMS).json() == {"items": [], "count": 0}
    assert_error(api("warga").get(f"{FORUMS}/{forum_of_les().pk}"), 404)


def test_it_filters_by_status(api):
    Forum.objects.filter(pk=forum_of_les().pk).update(status="dormant")
    dormant = all_items(api("kapolsek"), FORUMS, status="dormant")
    assert forum_of_les().pk in {f["id"] for f in dormant}
    assert {f["status"] for f in dormant} == {"dormant"}
    assert {f["id"] for f in dormant} == forums_in(TEJAKULA) & set(
        Forum.objects.filter(status="dormant").values_list("pk", flat=True))


def test_it_refuses_anonymous_callers(api):
    assert_error(api(None).get(FORUMS), 401)
    assert_error(api(None).get(f"{FORUMS}/{forum_of_les().pk}"), 401)


@pytest.mark.parametrize("forum_id", ["les", "0", "-1", str(2**64), "12abc"])
def test_it_answers_422_for_a_malformed_id(api, forum_id):
    assert_error(api("kapolsek").get(f"{FORUMS}/{forum_id}"), 422, "forum_id")


def test_it_answers_404_for_an_unknown_forum(api):
    missing = Forum.objects.order_by("-pk").first().pk + 1000
    assert_error(api("admin").get(f"{FORUMS}/{missing}"), 404)


@pytest.mark.parametrize("params,field", [
    ({"status": "sleeping"}, "status"), ({"status": "active\x00"}, "status"),
    ({"limit": 501}, "limit"), ({"offset": -1}, "offset"),
])
def test_it_answers_422_for_bad_list_parameters(english, params, field):
    body = assert_error(english(FORUMS, "kapolsek", **params), 422, field)
    assert body["detail"].startswith(f"{field}: must be")
