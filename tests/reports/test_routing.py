"""report_route: the village's Bhabinkamtibmas and forum; the Polsek for a gap; PPA for sealed."""

import pytest
from django.utils import timezone

from polmas.forums.models import Forum
from polmas.policing.models import Assignment, Officer, PoliceUnit
from polmas.reports.models import Recipient
from reports.helpers import LES, TEJAKULA, submit

pytestmark = pytest.mark.django_db


def routes(report) -> set[tuple]:
    return {(r.why, r.officer_id, r.forum_id, r.unit_id) for r in Recipient.objects.filter(report=report)}


def bhabin_officer() -> Officer:
    return Officer.objects.get(user__username="bhabin")


def forums_of(code: str) -> set[int]:
    return set(Forum.objects.filter(village_id=code).exclude(status="dissolved").values_list("pk", flat=True))


def test_a_report_reaches_the_village_officer_and_its_forum():
    report = submit().report
    forums = forums_of(LES)
    assert forums
    assert routes(report) == {("officer", bhabin_officer().pk, None, None)} | {
        ("forum", None, f, None) for f in forums}
    assert not report.coverage_gap


def test_a_dissolved_forum_is_left_out():
    forum = Forum.objects.filter(village_id=LES).first()
    Forum.objects.filter(pk=forum.pk).update(status="dissolved")
    assert forum.pk not in {r[2] for r in routes(submit().report)}


def test_a_sensitive_report_reaches_the_officer_and_ppa_but_never_the_forum():
    report = submit(category="domestic_violence", description="Tetangga dipukul suaminya.").report
    polres = PoliceUnit.objects.get(kind="polres", region_id="51.08")
    assert routes(report) == {("officer", bhabin_officer().pk, None, None), ("ppa", None, None, polres.pk)}


def test_a_village_without_officer_goes_to_the_polsek_as_a_coverage_gap():
    posting = Assignment.objects.filter(village__code__startswith=TEJAKULA + ".", end__isnull=True
                                        ).exclude(village_id=LES).first()
    Assignment.objects.filter(village_id=posting.village_id).update(end=timezone.localdate())
    report = submit(village=posting.village_id).report
    polsek = PoliceUnit.objects.get(kind="polsek", region_id=TEJAKULA)
    assert report.coverage_gap
    assert ("gap", None, None, polsek.pk) in routes(report)
    assert not any(r[0] == "officer" for r in routes(report))
