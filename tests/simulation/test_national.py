"""The national year's arithmetic, proved on one province with a scaled-down total (the
national build itself is too big for the suite; bench/dashboards.py runs it)."""

import datetime as dt

import pytest
from django.db import connection

from conftest import SEED
from polmas.activities.models import Activity
from polmas.analytics.services import rollups_rebuild
from polmas.analytics.stats import national_stats
from polmas.cases.models import Case, CaseReport, Mediation, MediationParty, Referral
from polmas.cases.selectors import problems_resolved
from polmas.core.scope import prefix_q
from polmas.forums.models import Meeting
from polmas.reports.models import Recipient, Report
from polmas.simulation.national import (
    RESOLVED_TOTAL,
    national_generate,
    province_quotas,
    provinces_load,
    village_quotas,
)
from polmas.simulation.reports import TEXTS

pytestmark = pytest.mark.django_db
YEAR = 2017
SCALED = 1_234  # Bali's share of a scaled-down country
BALI = prefix_q("village_id", ["51"])


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Case, Report, CaseReport, Mediation, MediationParty,
                                             Referral, Meeting, Activity, Recipient))


def test_the_national_total_splits_exactly_over_provinces_and_villages():
    provinces = provinces_load(SEED)
    assert len(provinces) == 38 and sum(len(p.villages) for p in provinces.values()) == 83_762
    quotas = province_quotas(RESOLVED_TOTAL, provinces)
    assert sum(quotas.values()) == RESOLVED_TOTAL == 465_921
    assert sum(sum(village_quotas(q, provinces[p])) for p, q in quotas.items()) == RESOLVED_TOTAL
    # Populous, well-staffed Java resolves more than Papua; the same seed gives the same split.
    assert quotas["33"] > 10 * quotas["94"]
    assert province_quotas(RESOLVED_TOTAL, provinces_load(SEED)) == quotas


def test_villages_without_an_officer_get_a_smaller_share():
    bali = provinces_load(SEED)["51"]
    shares = dict(zip([v.code for v in bali.villages], village_quotas(20_000, bali), strict=True))
    with_officer = [shares[v.code] for v in bali.villages if v.officer]
    without = [shares[v.code] for v in bali.villages if not v.officer]
    assert without, "Bali's plan leaves some villages without an officer"
    assert sum(without) / len(without) < 0.6 * sum(with_officer) / len(with_officer)


def test_one_province_reproduces_its_share_exactly_and_a_second_run_adds_nothing():
    # A problem the demo resolved there before counts towards the province's share.
    demo = Case.objects.create(
        village_id="51.08.09.2007", category_id=1, title="t", statement="s", source="detection",
        stage="closed", outcome="resolved_action", opened_at=dt.datetime(YEAR, 3, 1, tzinfo=dt.UTC),
        closed_at=dt.datetime(YEAR, 3, 9, tzinfo=dt.UTC))
    written = national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED)
    assert written.provinces == 1
    assert problems_resolved(YEAR, "51") == SCALED
    assert problems_resolved(YEAR) == SCALED
    cases = Case.objects.filter(BALI).exclude(pk=demo.pk)
    assert set(cases.values_list("stage", flat=True)) == {"scanning", "analysis", "response",
                                                          "assessment", "closed"}
    assert {"resolved_mediation", "resolved_action", "referred_criminal", "referred_service",
            "not_resolved"} <= set(cases.values_list("outcome", flat=True))
    assert cases.filter(sensitive=True).exists()
    assert not cases.filter(sensitive=True, outcome="resolved_mediation").exists()
    mediated = cases.filter(outcome="resolved_mediation").count()
    assert Mediation.objects.filter(case__in=cases).count() == mediated
    assert Referral.objects.filter(case__in=cases, to="reskrim").exists()
    # Every resolved case was closed in the year (UTC, as counted), after it was opened.
    resolved = cases.filter(outcome__in=Case.RESOLVED)
    assert not resolved.exclude(closed_at__gte=dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC),
                                closed_at__lt=dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.UTC)).exists()
    assert all(c.opened_at < c.closed_at for c in resolved[:200])
    # Villages without an officer: reports routed to the Polsek, flagged as a coverage gap.
    gap = Report.objects.filter(BALI, coverage_gap=True)
    assert gap.exists()
    assert Recipient.objects.filter(report__in=gap, why="gap", unit__isnull=False).count() == gap.count()
    assert Activity.objects.filter(BALI, kind="visit").count() > 5_000
    assert Meeting.objects.filter(BALI, status="held").count() > 1_000
    # A sealed case keeps the victim's name encrypted at rest.
    sealed = cases.filter(sensitive=True).first()
    assert sealed.victim_name and sealed.victim_name.split()[0] in sealed.victim_name
    # What a report says is encrypted at rest too, and reads back as one of the stock texts.
    report = Report.objects.filter(BALI).first()
    assert any(report.description in texts for texts in TEXTS.values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM reports_report WHERE id = %s", [report.pk])
        assert cursor.fetchone()[0].startswith("gAAAAA")

    before = counts()
    again = national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED)
    assert (again.provinces, again.skipped) == (0, 1)
    assert counts() == before

    rollups_rebuild()
    assert national_stats(year=YEAR)["totals"]["problems_resolved"] == SCALED
