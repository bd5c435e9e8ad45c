"""What the status page says about closing the loop: may the reporter answer, and until when
may they reopen."""

from django.utils import timezone

from polmas.portal.zones import shown
from polmas.regions.models import Region
from polmas.reports.feedback import feedback_open, reopen_until
from polmas.reports.models import REOPEN_DAYS, Report


def loop_facts(report: Report, village: Region | None) -> dict:
    followed = report.duplicate_of or report
    until = reopen_until(followed)
    return {
        "feedback_open": feedback_open(report),
        "can_reopen": until is not None and timezone.now() <= until,
        "reopen_until": shown(until, village) if until is not None else "",
        "reopen_days": REOPEN_DAYS,
    }
