"""Tetum (`tet`): registered as a language of its own, and every page of a resident's, an
officer's (Bhabinkamtibmas) and an FKPM member's main tasks renders in it without a message of
our catalogue left untranslated (which Django would show in Indonesian, the default)."""

import datetime as dt
import html
import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, translation

from conftest import person
from matrix.world import TRIANGLE
from polmas.activities.rosters import RosterInput, VolunteerInput, roster_generate, roster_save
from polmas.cases import services
from polmas.forums.models import Meeting, Member
from polmas.reports.routing import route_pending
from portal.portaltools import CODE_RE as tracking_code_re
from portal.portaltools import form
from web.test_translations import po_entries

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0])
LES = "51.08.09.2007"
_PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdfr]|%[sd]|\{[a-z_0-9]*\}")


@cache
def _untranslated() -> list[tuple[str, bool, re.Pattern]]:
    """(msgid, long, pattern of how Django shows it instead) for each message without Tetum.

    A long message (16 characters or more besides its placeholders) is looked for anywhere in
    the page's text with the whitespace taken out, its markup (a message may hold links)
    removed; a short one only as a whole piece of text (a word inside a name is not it)."""
    indonesian = {e["msgid"]: e.get("msgstr", "") for e in po_entries(LOCALE / "id/LC_MESSAGES/django.po")}
    out = []
    for e in po_entries(LOCALE / "tet/LC_MESSAGES/django.po"):
        if "obsolete" in e or (e.get("msgstr") and "fuzzy" not in e.get("flags", "")):
            continue
        for shown in {indonesian.get(e["msgid"]) or e["msgid"], e["msgid"]}:
            shown = html.unescape(re.sub(r"<[^>]+>", "", shown))
            literal = _PLACEHOLDER.sub("", shown).strip()
            if len(literal) < 3:
                continue
            if len(literal) >= 16:
                parts = [re.escape("".join(p.split())) for p in _PLACEHOLDER.split(shown)]
                out.append((e["msgid"], True, re.compile(".+?".join(parts))))
            else:
                parts = [re.escape(" ".join(p.split())) for p in _PLACEHOLDER.split(shown)]
                body = r".+?".join(parts)
                out.append((e["msgid"], False,
                            re.compile(rf"(?:^|[\s(:·]){body}(?:$|[\s):.,·])")))
    return out


class _Visible(HTMLParser):
    """The text a person reads or hears: text nodes outside script/style, and the labels in
    attributes (placeholder, title, aria-label, alt, a button's value)."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1
        a = dict(attrs)
        for name in ("placeholder", "title", "aria-label", "alt"):
            if a.get(name):
                self.pieces.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.pieces.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.pieces.append(" ".join(data.split()))


def visible(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.pieces


def untranslated_on(pieces: list[str]) -> set[str]:
    found = set()
    squeezed = "".join("".join(pieces).split())
    for msgid, long, rx in _untranslated():
        if long:
            if rx.search(squeezed):
                found.add(msgid)
        elif any(rx.search(piece) for piece in pieces):
            found.add(msgid)
    return found


def tetum(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tet"
    return client


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(person(username))
    return tetum(client)


def page(client: Client, url: str, data: dict | None = None) -> str:
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code in (200, 400), (url, response.status_code)
    body = response.content.decode()
    if response["Content-Type"].startswith("text/html") and "/lapangan/" not in url:
        assert '<html lang="tet">' in body, url
    return body


def check(pages: dict[str, str]) -> None:
    missing = {url: sorted(untranslated_on(visible(html))) for url, html in pages.items()}
    missing = {url: ids for url, ids in missing.items() if ids}
    assert missing == {}, json.dumps(missing, indent=1, ensure_ascii=False)


def test_tetum_is_a_language_of_its_own():
    assert ("tet" in dict(settings.LANGUAGES))
    info = translation.get_language_info("tet")
    assert (info["name"], info["name_local"], info["bidi"]) == ("Tetum", "Tetun", False)
    with translation.override("tet"):
        assert translation.gettext("Report a problem") != translation.gettext("Report a problem") + "x"
        assert translation.get_language() == "tet"
        assert formats.date_format(dt.date(2026, 12, 5)) == "5 Dezembru 2026"
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) == "1.234.567,5"
        shown = translation.gettext("Report a problem")
    with translation.override("id"):
        assert shown != translation.gettext("Report a problem")


def test_choosing_tetum_serves_tetum_and_the_switcher_offers_it(client: Client):
    body = client.get("/lapor/").content.decode()
    assert 'value="tet" lang="tet"' in body and ">Tetun<" in body
    response = client.post("/i18n/setlang/", {"language": "tet", "next": "/lapor/"})
    assert response.status_code == 302
    body = client.get("/lapor/").content.decode()
    assert '<html lang="tet">' in body
    with translation.override("id"):
        indonesian = translation.gettext("Report a problem")
    assert indonesian not in visible(body)


def test_the_field_app_speaks_tetum(client: Client):
    strings = client.get("/lapangan/teks-tet.json").json()
    with translation.override("id"):
        from polmas.field.strings import STRINGS

        indonesian = {k: str(v) for k, v in STRINGS.items()}
    same = [k for k, v in strings.items() if v == indonesian[k] and untranslated_on([v])]
    assert same == []
    assert untranslated_on(list(strings.values())) == set()
    assert "/lapangan/teks-tet.json" in client.get("/sw.js").content.decode()


def test_a_residents_pages_in_tetum(client: Client):
    anon = tetum(client)
    pages = {url: page(anon, url) for url in (
        "/lapor/", "/lapor/status/", "/lapor/publik/", "/statistik/", "/statistik/51/",
        "/accounts/login/", "/accounts/password/reset/")}
    pages["/lapor/ (empty)"] = page(anon, "/lapor/", {})
    pages["/lapor/status/?code=bad"] = page(anon, "/lapor/status/?code=ZZZZ-ZZZZ")
    pages["/accounts/login/ (wrong)"] = page(anon, "/accounts/login/", {"username": "warga", "password": "x"})
    # The main task: a report sent, its confirmation with the code, then its status.
    assert anon.post("/lapor/", form()).status_code == 302
    pages["/lapor/terkirim/"] = page(anon, "/lapor/terkirim/")
    code = tracking_code_re.search(pages["/lapor/terkirim/"]).group(1)
    pages["status"] = page(anon, "/lapor/status/", {"code": code})
    warga = as_user("warga")
    for url in ("/", "/lapor/saya/", "/lapor/"):
        pages[f"warga {url}"] = page(warga, url)
    check(pages)


def test_an_officers_pages_in_tetum():
    bhabin = as_user("bhabin")
    pages = {url: page(bhabin, url) for url in (
        "/", "/kerja/", "/kasus/", "/kasus/baru/", "/kegiatan/", "/kegiatan/baru/",
        "/kegiatan/daftar/", "/kegiatan/ronda/", "/kegiatan/ronda/baru/",
        "/akun/notifikasi/", "/akun/token/", "/lapangan/")}
    pages["/kegiatan/baru/ (empty)"] = page(bhabin, "/kegiatan/baru/", {})
    # A report routed to the officer today, and the first case and roster their pages link.
    assert Client().post("/lapor/", form()).status_code == 302
    route_pending()
    pages["/kerja/ (a new report)"] = page(bhabin, "/kerja/")
    found = re.search(r'href="(/kerja/laporan/\d+/)"', pages["/kerja/ (a new report)"])
    assert found
    pages["report"] = page(bhabin, found.group(1))
    officer = person("bhabin")
    roster = roster_save(actor=officer, data=RosterInput(
        village=LES, name="Ronda Banjar", start=dt.date.today(), nights=7, posts=["Pos Utara"],
        volunteers=[VolunteerInput(name=f"Warga {i}") for i in range(4)], per_post=2,
        max_per_week=3))
    roster_generate(actor=officer, roster_id=roster.pk)
    pages["roster"] = page(bhabin, f"/kegiatan/ronda/{roster.pk}/")
    pages["/kegiatan/ronda/ (with one)"] = page(bhabin, "/kegiatan/ronda/")
    # A case of their own through analysis to response, with an action due.
    case = services.case_open(actor=officer, village=LES, source="detection",
                              category="neighbour_dispute", statement="Sengketa saluran air.",
                              incidents_note="Tiga kali cekcok bulan ini.", recurring=True)
    case = services.case_analyse(actor=officer, case_id=case.pk, version=case.version,
                                 triangle=TRIANGLE, causes="Air kurang.",
                                 community_input="Warga minta jadwal giliran air.")
    case = services.case_respond(actor=officer, case_id=case.pk, version=case.version,
                                 plan="Musyawarah.", actions=[{
                                     "description": "Buat jadwal giliran air",
                                     "owner_kind": "village_government", "owner_name": "Perbekel",
                                     "due": dt.date.today() + dt.timedelta(days=7)}])
    pages["case"] = page(bhabin, f"/kasus/{case.pk}/")
    pages["/kasus/ (with one)"] = page(bhabin, "/kasus/")
    check(pages)


def test_an_fkpm_members_pages_in_tetum():
    fkpm = as_user("fkpm")
    forum = Member.objects.get(user__username="fkpm").forum_id
    meeting = Meeting.objects.filter(forum_id=forum).order_by("-id").first()
    pages = {url: page(fkpm, url) for url in (
        "/", "/kerja/", "/forum/", f"/forum/{forum}/rapat/", f"/forum/{forum}/rapat/baru/",
        f"/forum/{forum}/kami-bertindak/", "/lapangan/teks-tet.json")}
    if meeting is not None:
        pages["meeting"] = page(fkpm, f"/forum/rapat/{meeting.id}/")
    pages["meeting (empty)"] = page(fkpm, f"/forum/{forum}/rapat/baru/", {})
    check(pages)


def test_a_volunteers_days_written_in_tetum_are_read_back():
    from polmas.activities.forms import days_named, days_parsed

    assert days_parsed("Seg, Kua, Ses, Dom") == "0246"
    assert days_parsed("Sábadu tersa") == "15"
    with translation.override("tet"):
        shown = days_named("0246")
    assert shown == "Seg, Kua, Ses, Dom"
    assert days_parsed(shown) == "0246"  # the roster's edit form sends back what it showed
