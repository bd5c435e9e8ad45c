"""The frame around every page: header, language switch, stylesheet, CSP, phone layout."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

PAGES = ["/", "/coverage/?top=1", "/coverage/51.08.09/"]


def test_the_header_names_the_user_and_their_role(login):
    body = login("kapolsek").get("/").content.decode()

    header = body.split("</header>")[0]
    assert "Polmas" in header
    assert "I Made Suarjana" in header
    assert "(pengawas)" in header
    assert 'action="/accounts/logout/" method="post"' in header
    assert ">Keluar<" in header
    assert 'href="/coverage/51.08.09/"' in header  # coverage at the user's own level


def test_the_header_names_every_role_in_english(login):
    body = login("ppa").get("/", headers={"Accept-Language": "en"}).content.decode()

    assert "(PPA officer)" in body
    assert ">Log out<" in body


def test_the_language_switch_turns_the_pages_english_and_back(login):
    client = login("kapolsek")
    assert 'action="/i18n/setlang/"' in client.get("/").content.decode()

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/coverage/?top=1"})
    english = client.get("/coverage/?top=1").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    indonesian = client.get("/coverage/?top=1").content.decode()

    assert switched.status_code == 302 and switched["Location"] == "/coverage/?top=1"
    assert '<html lang="en">' in english and "National coverage" in english
    assert '<html lang="id">' in indonesian and "Cakupan nasional" in indonesian


def test_the_language_switch_marks_the_current_language(client):
    body = client.get("/accounts/login/").content.decode()

    assert re.search(r'value="id" lang="id" aria-current="true">Bahasa Indonesia<', body)
    assert re.search(r'value="en" lang="en">English<', body)


def test_the_stylesheet_comes_from_the_app_itself(login):
    body = login("admin").get("/").content.decode()

    assert '<link rel="stylesheet" href="/static/web/polmas.css">' in body
    assert finders.find("web/polmas.css")
    assert "http://" not in body and "https://" not in body  # no CDN


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_no_inline_style_or_script_and_a_strict_csp(login, path):
    response = login("kapolres").get(path)

    body = response.content.decode()
    assert response.status_code == 200
    assert " style=" not in body and "<style" not in body and "<script" not in body
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "script-src 'self'" in csp


@pytest.mark.parametrize("path", PAGES + ["/accounts/login/"])
def test_pages_fit_a_phone_screen(login, path):
    body = login("kapolres").get(path).content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    if "<table" in body:
        assert '<div class="table-wrap" tabindex="0">' in body  # wide tables scroll inside the page


def test_the_404_page_speaks_the_users_language(login):
    client = login("kapolsek")

    indonesian = client.get("/coverage/34/")
    english = client.get("/coverage/34/", headers={"Accept-Language": "en"})

    assert indonesian.status_code == english.status_code == 404
    assert "Halaman tidak ditemukan" in indonesian.content.decode()
    assert "Page not found" in english.content.decode()


@pytest.mark.parametrize("username,links", [
    ("bhabin", {"/kerja/", "/kasus/", "/kegiatan/", "/forum/"}),
    ("kapolsek", {"/kerja/", "/kasus/", "/kegiatan/", "/forum/", "/dashboard/"}),
    ("fkpm", {"/kerja/", "/kasus/", "/kegiatan/", "/forum/"}),
    ("warga", set()),
])
def test_the_header_links_each_role_to_its_own_work(login, username, links):
    header = login(username).get("/").content.decode().split("</header>")[0]
    shown = {h for h in ("/kerja/", "/kasus/", "/kegiatan/", "/forum/", "/dashboard/")
             if f'href="{h}"' in header}
    assert shown >= links
    if not links:  # a resident gets none of the staff pages
        assert shown == set()


def test_anyone_without_an_account_is_offered_the_public_pages(client):
    header = client.get("/lapor/").content.decode().split("</header>")[0]
    for href in ('href="/lapor/"', 'href="/lapor/status/"', 'href="/statistik/"', 'href="/accounts/login/"'):
        assert href in header
    assert 'href="/kasus/"' not in header and 'href="/dashboard/"' not in header
