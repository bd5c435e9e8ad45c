"""The reports anyone may see on the public map and list: placed at their village only, with
no resident's text, contact, photo or coordinates. Sensitive, held, hidden, spam and merged
reports are never among them."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from polmas.reports.models import MeToo, Report

# Never read for the public list: who sent it, how to reach them, where exactly, what they wrote.
PRIVATE_FIELDS = ("description", "reporter_name", "reporter_phone", "reporter_email", "latitude",
                  "longitude", "photo", "client_key", "tracking_hash", "submitted_by")
MAX_SEARCH = 100


def reports_published() -> QuerySet[Report]:
    """Reports anyone may see. Requires: nothing (public)."""
    return (Report.objects.exclude(Q(sensitive=True) | Q(category__sensitive=True))
            .filter(spam=False, held=False, hidden=False, duplicate_of__isnull=True)
            .defer(*PRIVATE_FIELDS))


@dataclass
class PublicFilter:
    category: str = ""
    status: str = ""
    search: str = ""


def reports_public_list(*, filters: PublicFilter) -> QuerySet[Report]:
    """The published reports matching `filters`, newest first (me_too_counts for a page).
    The search looks in the names of the category and the village and in the officer's public
    summary, never in the resident's text. Requires: nothing (public)."""
    qs = reports_published().select_related("category", "village__parent")
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    words = filters.search.split()[:5]
    for word in words:
        qs = qs.filter(Q(category__name_id__icontains=word) | Q(category__name_en__icontains=word)
                       | Q(village__name__icontains=word) | Q(public_summary__icontains=word))
    return qs.order_by("-created_at", "-pk")


def me_too_counts(report_ids: list[int]) -> dict[int, int]:
    """How many people said "me too" on each of `report_ids` (those with none left out)."""
    rows = (MeToo.objects.filter(report_id__in=report_ids).values("report_id")
            .annotate(n=Count("pk")).values_list("report_id", "n"))
    return dict(rows)


def reports_public_places(qs: QuerySet[Report], limit: int = 500) -> list[dict]:
    """Where the reports of `qs` are, one point per village at the village's centre: its
    code, name and how many reports. Requires: nothing (public)."""
    rows = (qs.order_by().values("village_id", "village__name", "village__latitude", "village__longitude")
            .annotate(n=Count("pk", distinct=True)).order_by("-n")[:limit])
    return [{"code": r["village_id"], "name": r["village__name"], "lat": r["village__latitude"],
             "lon": r["village__longitude"], "n": r["n"]}
            for r in rows if r["village__latitude"] is not None and r["village__longitude"] is not None]
