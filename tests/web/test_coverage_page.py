"""The coverage table: /coverage/ and /coverage/<code>/, national down to the villages."""

import pytest
from django.utils import translation
from webtools import expected, fmt, pct, table

from conftest import OUTSIDER, person
from polmas.access.scope import scope_for
from polmas.forums.models import Forum
from polmas.policing.models import Assignment
from polmas.regions.models import Region
from polmas.web.templatetags.polmas import pct as shown

pytestmark = pytest.mark.django_db


def assert_row(row: dict[str, str], counts: dict[str, int], lang: str = "id") -> None:
    assert row["villages"] == fmt(counts["villages"], lang=lang)
    assert row["with_officer"] == fmt(counts["with_officer"], lang=lang)
    assert row["with_forum"] == fmt(counts["with_forum"], lang=lang)
    assert row["officer_pct"] == pct(counts["with_officer"], counts["villages"], lang)
    assert row["forum_pct"] == pct(counts["with_forum"], counts["villages"], lang)


def test_it_shows_every_province_with_national_totals_to_the_planner(login):
    response = login("bappenas").get("/coverage/")

    assert response.status_code == 200
    rows = table(response)
    provinces = Region.objects.filter(level=1).values_list("code", flat=True)
    assert set(rows) == set(provinces) | {"total"}
    assert_row(rows["51"], expected("51"))
    assert_row(rows["34"], expected("34"))
    assert_row(rows["11"], expected("11"))  # Aceh: villages, nobody generated there
    assert rows["11"]["with_officer"] == "0"
    assert_row(rows["total"], expected(""))
    assert "Cakupan nasional" in response.content.decode()


def test_it_formats_figures_for_the_locale(login):
    client = login("admin")
    total = expected("")
    assert total["villages"] > 1000

    rows_id = table(client.get("/coverage/"))
    rows_en = table(client.get("/coverage/", headers={"Accept-Language": "en"}))

    assert rows_id["total"]["villages"] == fmt(total["villages"], lang="id")
    assert "." in rows_id["total"]["villages"]  # 83.762
    assert rows_en["total"]["villages"] == fmt(total["villages"], lang="en")
    assert "," in rows_en["total"]["villages"]  # 83,762
    assert "," in rows_id["51"]["officer_pct"] and "." in rows_en["51"]["officer_pct"]


def test_it_drills_from_province_to_regency_to_district_for_the_kapolres(login):
    client = login("kapolres")

    province = table(client.get("/coverage/51/"))
    regency = table(client.get("/coverage/51.08/"))
    district = client.get("/coverage/51.08.09/")

    # Bali is an ancestor of Buleleng: shown, restricted to Buleleng.
    assert set(province) == {"51.08", "total"}
    assert_row(province["51.08"], expected("51.08"))
    districts = set(Region.objects.filter(parent_id="51.08").values_list("code", flat=True))
    assert set(regency) == districts | {"total"}
    assert_row(regency["51.08.09"], expected("51.08.09"))
    assert_row(regency["total"], expected("51.08"))
    assert district.status_code == 200
    assert table(district)["total"]["villages"] == fmt(expected("51.08.09")["villages"])


def test_it_names_the_officer_and_forum_of_each_village_in_a_district(login):
    response = login("kapolsek").get("/coverage/51.08.09/")

    rows = table(response)
    villages = dict(Region.objects.filter(parent_id="51.08.09").values_list("code", "name"))
    assert set(rows) == set(villages) | {"total"}
    les = Assignment.objects.get(village_id="51.08.09.2007", end=None).officer
    assert les.name in rows["51.08.09.2007"]["officer"]
    assert les.get_rank_display() in rows["51.08.09.2007"]["officer"]
    forum = Forum.objects.filter(village_id="51.08.09.2007").first()
    assert forum.name in rows["51.08.09.2007"]["forums"]
    counts = expected("51.08.09")
    assert rows["total"]["villages"] == fmt(counts["villages"])
    assert rows["total"]["with_officer"] == fmt(counts["with_officer"])
    assert rows["total"]["officer_pct"] == pct(counts["with_officer"], counts["villages"])
    body = response.content.decode()
    assert "Desa" not in villages["51.08.09.2007"] or villages["51.08.09.2007"] in body
    assert "+62" not in body and "@" not in body  # no officer contacts


def test_it_counts_only_active_assignments_and_standing_forums(login):
    les = "51.08.09.2007"
    Assignment.objects.filter(village_id=les, end=None).update(end="2025-01-31")
    Forum.objects.filter(village_id=les).update(status="dissolved")

    rows = table(login("kapolsek").get("/coverage/51.08.09/"))

    assert rows[les]["officer"] == "tidak ada"
    assert rows[les]["forums"] == "tidak ada"
    counts = expected("51.08.09")
    assert rows["total"]["with_officer"] == fmt(counts["with_officer"])
    assert rows["total"]["with_forum"] == fmt(counts["with_forum"])


def test_it_shows_the_kapolsek_only_the_chain_down_to_their_district(login):
    client = login("kapolsek")

    national = table(client.get("/coverage/?top=1"))
    bali = table(client.get("/coverage/51/"))
    buleleng = client.get("/coverage/51.08/")

    assert set(national) == {"51", "total"}
    assert set(bali) == {"51.08", "total"}
    assert set(table(buleleng)) == {"51.08.09", "total"}
    for rows in (national, bali, table(buleleng)):
        assert_row(rows["total"], expected("51.08.09"))
    assert "Hanya bagian di wilayah Anda" in buleleng.content.decode()


@pytest.mark.parametrize("who, start", [("kapolsek", "51.08.09"), ("kapolres", "51.08"), ("kapolda", "51"),
                                        ("ppa", "51.08"), ("bhabin", "51.08.09")])
def test_it_starts_at_the_users_own_level(login, who, start):
    """Issue 15: /coverage/ always started at the national level."""
    response = login(who).get("/coverage/")

    assert response.status_code == 302
    assert response["Location"] == f"/coverage/{start}/"


def test_it_starts_a_national_user_at_the_country(login):
    assert login("bappenas").get("/coverage/").status_code == 200


def test_it_hides_other_polres_from_the_kapolres(login):
    client = login("kapolres")

    assert client.get("/coverage/51.03/").status_code == 404  # Badung
    assert client.get("/coverage/51.03.01/").status_code == 404
    assert client.get("/coverage/34/").status_code == 404


def test_it_hides_the_sibling_district_from_the_kapolsek(login):
    response = login("kapolsek").get("/coverage/51.08.08/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.parametrize("path", ["/coverage/51.08/", "/coverage/51/", "/coverage/51.08.09/"])
def test_it_answers_404_to_a_supervisor_from_another_province(login, path):
    assert login(OUTSIDER).get(path).status_code == 404


def test_it_shows_the_outsider_their_own_district(login):
    rows = table(login(OUTSIDER).get("/coverage/34.04/"))

    assert set(rows) == {"34.04.07", "total"}
    assert_row(rows["34.04.07"], expected("34.04.07"))


@pytest.mark.parametrize("path", ["/coverage/", "/coverage/51/", "/coverage/51.08.09/"])
def test_it_answers_404_to_a_resident(login, path):
    response = login("warga").get(path)

    assert response.status_code == 404
    assert "data-code" not in response.content.decode()


@pytest.mark.parametrize("path", ["/coverage/", "/coverage/51.08/"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("code", ["51.8", "xx", "51.08.9", "5108", "51.08.09.20071", "99",
                                  "51.08.99", "51.", "%20", "51.08%0A", "51.08.09.2007%0A",
                                  "\u0665\u0661", "51.08.09.2007.1", "..", "51.08.09.0000"])
def test_it_answers_404_to_a_malformed_or_unknown_code(login, code):
    assert login("admin").get(f"/coverage/{code}/").status_code == 404


def test_it_sends_a_village_to_its_row_in_the_district_table(login):
    client = login("kapolsek")

    response = client.get("/coverage/51.08.09.2007/")

    assert response.status_code == 302
    assert response["Location"] == "/coverage/51.08.09/#v-51.08.09.2007"
    assert client.get("/coverage/51.08.08.2001/").status_code == 404
    assert client.get("/coverage/51.08.09.9999/").status_code == 404


def test_it_shows_the_bhabinkamtibmas_only_their_villages(login):
    mine = set(scope_for(person("bhabin")).prefixes)
    rows = table(login("bhabin").get("/coverage/51.08.09/"))

    assert set(rows) == mine | {"total"}
    assert rows["total"]["villages"] == fmt(len(mine))


def test_it_leads_back_up_the_chain_with_breadcrumbs(login):
    body = login("kapolres").get("/coverage/51.08.09/").content.decode()

    assert 'href="/coverage/?top=1"' in body
    assert 'href="/coverage/51/"' in body
    assert 'href="/coverage/51.08/"' in body
    assert 'aria-current="page">Tejakula' in body


def test_it_reads_a_constant_number_of_queries(login, django_assert_max_num_queries):
    client = login("admin")
    client.get("/coverage/")  # warm the session
    with django_assert_max_num_queries(12):
        client.get("/coverage/")
    with django_assert_max_num_queries(12):
        client.get("/coverage/51.08.09/")


def test_it_rounds_percentages_but_never_shows_full_coverage_short_of_it():
    with translation.override("id"):
        assert shown(100 * 2 / 3) == "66,7%"
        assert shown(100 * 1 / 8) == "12,5%"
        assert shown(100 * 1999 / 2000) == "99,9%"
        assert shown(100.0) == "100,0%"
        assert shown(None) == "–"
    with translation.override("en"):
        assert shown(100 * 2 / 3) == "66.7%"
