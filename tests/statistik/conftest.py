"""Exact small numbers in two regencies of Bali, to see what the public pages suppress."""

import datetime as dt
import uuid

import pytest

YEAR = 2025
BULELENG, DENPASAR = "51.08", "51.71"


def _village(regency: str) -> str:
    from polmas.regions.models import Region

    return Region.objects.under(regency).filter(level=4).order_by("code").values_list("code", flat=True)[0]


@pytest.fixture(scope="module")
def public_data(django_db_setup, django_db_blocker):
    from polmas.analytics.models import CoverageFigures, MonthlyFigures, RollupState
    from polmas.analytics.services import rollups_rebuild
    from polmas.cases.models import Case
    from polmas.reports.models import Category, Report

    with django_db_blocker.unblock():
        cat = {c.code: c for c in Category.objects.all()}
        buleleng, denpasar = _village(BULELENG), _village(DENPASAR)
        when = dt.datetime(YEAR, 5, 10, 8, tzinfo=dt.UTC)
        plan = [(buleleng, "theft", 3), (buleleng, "noise", 7), (buleleng, "domestic_violence", 6),
                (denpasar, "child_abuse", 2)]
        reports = [Report(category=cat[c], description="x", village_id=v, channel="web",
                          tracking_hash=uuid.uuid4().hex) for v, c, n in plan for _ in range(n)]
        Report.objects.bulk_create(reports)
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(created_at=when)
        cases = [Case(village_id=buleleng, category=cat["theft"], title="t", statement="s", source="report",
                      opened_at=when, stage="closed", outcome="resolved_mediation",
                      closed_at=when + dt.timedelta(days=d)) for d in (1, 2, 3, 4, 5, 6)]
        cases += [Case(village_id=buleleng, category=cat["domestic_violence"], title="t", statement="s",
                       source="report", sensitive=True, opened_at=when, stage="closed",
                       outcome="resolved_action", closed_at=when + dt.timedelta(days=9)) for _ in range(2)]
        Case.objects.bulk_create(cases)
        rollups_rebuild()
    yield {"reports": reports, "cases": cases, "categories": cat}
    with django_db_blocker.unblock():
        Report.objects.filter(pk__in=[r.pk for r in reports]).delete()
        Case.objects.filter(pk__in=[c.pk for c in cases]).delete()
        for model in (MonthlyFigures, CoverageFigures, RollupState):
            model.objects.all().delete()
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(task_path__startswith="polmas.analytics.").delete()
