"""The home page `/`: what each role sees first."""

import re

import pytest
from webtools import expected, fmt, pct

from conftest import OUTSIDER, person
from polmas.forums.models import Forum, Member
from polmas.policing.models import Assignment, Officer
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def figures(body: str) -> dict[str, str]:
    """The coverage summary figures: {"villages": "36", "with_officer": "34 (94,4%)", ...}."""
    found = re.findall(r'data-figure="(\w+)"><span class="value">([^<]*)</span>'
                       r'(?:<span class="pct">([^<]*)</span>)?', body)
    return {name: f"{value} ({share})" if share else value for name, value, share in found}


def assert_summary(body: str, prefix: str) -> None:
    c = expected(prefix)
    got = figures(body)
    assert got["villages"] == fmt(c["villages"])
    assert got["with_officer"] == f"{fmt(c['with_officer'])} ({pct(c['with_officer'], c['villages'])})"
    assert got["with_forum"] == f"{fmt(c['with_forum'])} ({pct(c['with_forum'], c['villages'])})"


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_it_lists_the_bhabinkamtibmas_villages_and_forums(login):
    body = login("bhabin").get("/").content.decode()

    officer = Officer.objects.get(user=person("bhabin"))
    posts = Assignment.objects.filter(officer=officer, end=None).select_related("village__parent")
    assert posts.count() >= 1
    assert "Desa binaan saya" in body and "Forum saya" in body
    for post in posts:
        assert f'data-code="{post.village_id}"><strong>{post.village.name}</strong>' in body
        assert f"Kecamatan {post.village.parent.name}" in body
    forums = Forum.objects.filter(village__in=[p.village_id for p in posts])
    assert forums.exists()
    for forum in forums:
        members = Member.objects.filter(forum=forum, active=True).count()
        row = re.search(rf'data-forum="{forum.pk}">(.*?)</tr>', body).group(1)
        assert forum.name in row and forum.village.name in row
        assert forum.get_status_display() in row
        assert f'<td class="num">{members}</td>' in row


def test_it_leaves_out_ended_assignments(login):
    officer = Officer.objects.get(user=person("bhabin"))
    ended = Assignment.objects.filter(officer=officer, end=None).exclude(
        village_id="51.08.09.2007").first()
    ended.end = ended.start
    ended.save()

    body = login("bhabin").get("/").content.decode()

    assert f'data-code="{ended.village_id}"' not in body
    assert 'data-code="51.08.09.2007"' in body


def test_it_shows_the_bhabinkamtibmas_page_in_english(login):
    body = login("bhabin").get("/", headers=EN).content.decode()

    assert "My villages" in body and "My forums" in body and "District Tejakula" in body


def test_it_shows_the_fkpm_member_their_forum_and_members_without_contacts(login):
    body = login("fkpm").get("/").content.decode()

    forum = Forum.objects.get(members__user=person("fkpm"))
    assert f"<h2>{forum.name}</h2>" in body
    assert f"Desa {forum.village.name}, Kecamatan Tejakula" in body
    members = Member.objects.filter(forum=forum, active=True)
    for member in members:
        assert f"<tr><td>{member.name}</td><td>{member.get_role_display()}</td></tr>" in body
    assert "sekretaris" in body  # Ni Ketut Sariasih's role, in Indonesian
    for member in members:
        if member.phone:
            assert member.phone not in body
    assert "data-figure" not in body  # no coverage figures for a forum member


@pytest.mark.parametrize("username,unit,prefix", [
    ("kapolsek", "Polsek Tejakula", "51.08.09"),
    ("kapolres", "Polres Buleleng", "51.08"),
    ("ppa", "Polres Buleleng", "51.08"),
    ("kapolda", "Polda Bali", "51"),
    (OUTSIDER, "Polsek Depok", "34.04.07"),
])
def test_it_shows_a_supervisor_their_unit_and_the_coverage_of_their_area(login, username, unit,
                                                                          prefix):
    body = login(username).get("/").content.decode()

    assert "Satuan saya" in body
    assert f"<strong>{unit}</strong>" in body
    assert "Cakupan di wilayah Anda" in body
    assert_summary(body, prefix)
    assert f'<a href="/coverage/{prefix}/">Buka tabel cakupan</a>' in body


def test_it_keeps_bali_out_of_the_outsiders_home(login):
    body = login(OUTSIDER).get("/").content.decode()

    assert "Tejakula" not in body and "Buleleng" not in body


@pytest.mark.parametrize("username", ["bappenas", "admin"])
def test_it_shows_planners_and_admins_the_national_summary(login, username):
    body = login(username).get("/").content.decode()

    assert "Cakupan nasional" in body
    assert_summary(body, "")
    assert '<a href="/coverage/">Buka tabel cakupan</a>' in body


def test_it_shows_a_partner_the_summary_of_their_region(login):
    body = login("mitra").get("/").content.decode()

    assert "Cakupan di wilayah Anda" in body
    assert_summary(body, "51")
    assert '<a href="/coverage/51/">Buka tabel cakupan</a>' in body


def test_it_shows_a_resident_the_programme_and_their_village_people_by_name(login):
    body = login("warga").get("/").content.decode()

    les = Region.objects.get(code="51.08.09.2007")
    officer = Assignment.objects.get(village=les, end=None).officer
    forum = Forum.objects.filter(village=les).exclude(status="dissolved").first()
    assert "Pemolisian Masyarakat (Polmas)" in body
    assert f"Desa Anda: {les.name}" in body
    assert officer.name in body and forum.name in body
    assert officer.phone not in body
    assert "data-figure" not in body and "/coverage/" not in body  # no internal data


def test_it_shows_a_resident_without_a_village_only_the_programme(login):
    grant = person("warga").role_grants.get(role="resident")
    grant.region = None
    grant.save()

    body = login("warga").get("/").content.decode()

    assert "Pemolisian Masyarakat (Polmas)" in body
    assert "Desa Anda" not in body and "Bhabinkamtibmas:" not in body


def test_it_tells_a_resident_when_nobody_is_posted_yet(login):
    Assignment.objects.filter(village_id="51.08.09.2007", end=None).update(end="2025-06-30")

    body = login("warga").get("/", headers=EN).content.decode()

    assert "Your village: Les" in body
    assert "none posted yet" in body


def test_it_tells_a_user_without_a_role_to_ask_for_one(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("baru", password="x" * 12))

    body = client.get("/").content.decode()

    assert "Akun Anda belum memiliki peran." in body
    assert "data-figure" not in body
    assert client.get("/coverage/").status_code == 404


def test_it_lists_the_forum_board_before_the_members(login):
    body = login("fkpm").get("/").content.decode()

    roles = re.findall(r"<tr><td>[^<]+</td><td>([^<]+)</td></tr>", body)
    assert roles[0] == "ketua"
    assert roles.index("sekretaris") < roles.index("anggota")
    assert roles[-1] == "anggota"
