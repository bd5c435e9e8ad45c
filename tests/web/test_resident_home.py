"""A logged-in resident's home is no dead end: the public tasks in the menu, their own
reports with statuses, their village's Bhabinkamtibmas (how to reach them) and FKPM."""

import pytest

from conftest import person
from polmas.reports.intake import ReportInput, report_submit

pytestmark = pytest.mark.django_db


def test_the_menu_keeps_report_track_and_statistics(login):
    body = login("warga").get("/").content.decode()
    nav = body[body.index('class="site-nav"'):body.index("</nav>")]

    assert 'href="/lapor/"' in nav
    assert 'href="/lapor/status/"' in nav
    assert 'href="/statistik/"' in nav


def test_an_officer_menu_is_unchanged(login):
    body = login("bhabin").get("/").content.decode()
    nav = body[body.index('class="site-nav"'):body.index("</nav>")]
    assert 'href="/lapor/status/"' not in nav


def test_it_lists_my_reports_with_status_and_a_link(login):
    client = login("warga")
    report = report_submit(ReportInput(category="theft", description="Motor hilang di depan rumah.",
                                       channel="web", village="51.08.09.2007", anonymous=False,
                                       phone="081234567890", user=person("warga"))).report

    body = client.get("/", headers={"Accept-Language": "en"}).content.decode()

    assert 'id="my-reports"' in body
    assert f'href="/lapor/saya/{report.pk}/"' in body
    assert "status-received" in body and "received" in body


def test_it_says_how_to_reach_the_officer_and_names_the_forum(login):
    body = login("warga").get("/", headers={"Accept-Language": "en"}).content.decode()

    assert "send a report: it goes straight to their inbox" in body
    assert 'href="tel:110"' in body
    assert "/kami-bertindak/" in body  # the FKPM's public page
