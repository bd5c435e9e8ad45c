"""Shared by the report tests: the places of the demo and a quick way to submit a report."""

import datetime as dt

from django.utils import timezone

from polmas.regions.models import Region
from polmas.reports.intake import ReportInput, Submitted, report_submit
from polmas.reports.models import Report
from polmas.reports.routing import route_pending

LES = "51.08.09.2007"  # Desa Les: the bhabin's village, with the fkpm member's forum
TEJAKULA = "51.08.09"
DEPOK_VILLAGE = "34.04.07.2001"  # Caturtunggal, Depok, Sleman: the outsider's district
PHONE = "081234567890"
OTHER_PHONE = "081298765432"


def place(code: str = LES) -> Region:
    return Region.objects.get(code=code)


def report_input(**fields: object) -> ReportInput:
    values: dict = {"category": "theft", "description": "Sepeda motor dicuri di depan rumah.",
                    "channel": "api", "village": LES}
    values.update(fields)
    return ReportInput(**values)


def submit(*, routed: bool = True, **fields: object) -> Submitted:
    """Submit a report and, unless `routed` is False, route it as the task queue would a
    moment later (ADR 11)."""
    done = report_submit(report_input(**fields))
    if routed:
        route_all(done.report)
    return done


def route_all(report: Report | None = None) -> int:
    """Route every report waiting for it, as the task queue does; reload `report`."""
    routed = route_pending()
    if report is not None:
        report.refresh_from_db()
    return routed


def age(report: Report, hours: float) -> None:
    """Make `report` look as if it arrived `hours` ago."""
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))
