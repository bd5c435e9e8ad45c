"""The monthly village panel of one outcome, read from the analytics rollups (never the raw
tables), and the fidelity of the programme where it ran, read from the owners' querysets."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Count, F, Q, Sum

from polmas.analytics.figures import median_days
from polmas.analytics.models import BUCKETS, MonthlyFigures
from polmas.core.scope import prefix_q
from polmas.regions.models import Region
from polmas.reports.models import Category

# outcome -> (rollup field(s) summed, category groups or None for all categories)
OUTCOMES: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "reports": (("reports",), None),
    "reports_property": (("reports",), ("property",)),
    "reports_violence": (("reports",), ("violence",)),
    "reports_disorder": (("reports",), ("order", "dispute")),
    "reports_sensitive": (("reports",), ("protection",)),
    "cases_opened": (("cases_opened",), None),
    "cases_resolved": (("closed_mediation", "closed_action"), None),
    # The median of the days-to-resolve histogram (cases, by the month closed): see
    # MEDIAN_OUTCOMES; a village-month with no case closed has no value.
    "days_to_resolve": (tuple(BUCKETS), None),
}
MEDIAN_OUTCOMES = frozenset({"days_to_resolve"})


def month_index(yyyymm: int, first: int) -> int:
    """1-based consecutive month number of `yyyymm`, counting `first` as 1."""
    return (yyyymm // 100 - first // 100) * 12 + (yyyymm % 100 - first % 100) + 1


def month_of(day: dt.date) -> int:
    return day.year * 100 + day.month


def months_between(first: int, last: int) -> list[int]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = m + 1 if m % 100 < 12 else (m // 100 + 1) * 100 + 1
    return out


@dataclass
class Panel:
    frame: pd.DataFrame  # place, cluster, t, g, y
    months: list[int]
    data_hash: str
    # Villages left out because the outcome had no value in some month (medians only).
    incomplete: int = 0


def data_range(prefixes: list[str]) -> tuple[int, int] | None:
    """First and last month with any rollup row under `prefixes`, at village level."""
    rows = MonthlyFigures.objects.filter(prefix_q("prefix", prefixes), level=4)
    first = rows.order_by("month").values_list("month", flat=True).first()
    last = rows.order_by("-month").values_list("month", flat=True).first()
    return (first, last) if first else None


def panel_build(*, outcome: str, starts: dict[str, dt.date], area: list[str], first: int,
                last: int, only: set[str] | None = None) -> Panel:
    """One row per village of `area` (region prefixes) and month first..last; the treated
    villages are those in `starts` (village code -> start date). `only`, when given, keeps
    just those villages (a programme's places and its own comparison villages)."""
    fields, groups = OUTCOMES[outcome]
    months = months_between(first, last)
    villages = list(Region.objects.villages().filter(prefix_q("code", area))
                    .order_by("code").values_list("code", flat=True))
    if only is not None:
        villages = [v for v in villages if v in only]
    rows = MonthlyFigures.objects.filter(prefix_q("prefix", area), level=4,
                                         month__gte=first, month__lte=last)
    if groups is not None:
        rows = rows.filter(category__in=Category.objects.filter(group__in=groups))
    index = pd.MultiIndex.from_product([villages, months], names=["place", "month"])
    incomplete = 0
    if outcome in MEDIAN_OUTCOMES:
        # The median per village-month from the summed histogram; a village is kept only when
        # it has a value in every month (the estimator needs a balanced panel).
        sums = rows.values("prefix", "month").annotate(**{f: Sum(f) for f in fields})
        medians = {(r["prefix"], r["month"]): median_days([r[f] or 0 for f in fields])
                   for r in sums}
        y = pd.Series([medians.get(k) for k in index], index=index, dtype=float)
        complete = y.notna().groupby(level="place").all()
        incomplete = int((~complete).sum())
        y = y[y.index.get_level_values("place").isin(complete[complete].index)]
    else:
        # Summed straight into a village x month array, streamed as tuples: a national panel
        # is 4 million village-months, and a dict per row, then a group-by and a reindex over
        # them, took more memory than the estimate itself (bench/evaluation_db.py).
        total = sum((F(f) for f in fields[1:]), F(fields[0]))
        sums = rows.values("prefix", "month").annotate(y=Sum(total)).values_list(
            "prefix", "month", "y")
        at_village = {code: i for i, code in enumerate(villages)}
        at_month = {m: j for j, m in enumerate(months)}
        counts = np.zeros((len(villages), len(months)))
        for prefix, month, value in sums.iterator(chunk_size=20_000):
            i, j = at_village.get(prefix), at_month.get(month)
            if i is not None and j is not None:
                counts[i, j] += value or 0
        y = pd.Series(counts.ravel(), index=index)
    frame = y.rename("y").reset_index()
    frame["cluster"] = frame["place"].str.slice(0, 5)
    frame["area"] = frame["place"].str.slice(0, 8)
    # Months are consecutive from `first`: month_index(m, first) is the position + 1 (a map
    # through a dict, not a Python call per row).
    frame["t"] = frame["month"].map({m: month_index(m, first) for m in months}).astype(int)
    g = {code: month_index(month_of(day), first) for code, day in starts.items()}
    frame["g"] = frame["place"].map(g).fillna(0).astype(int)
    frame["y"] = frame["y"].astype(float)
    # A start before the period: treated throughout, no comparison possible -> drop the place.
    frame = frame[(frame["g"] == 0) | (frame["g"] > 1)].reset_index(drop=True)
    digest = hashlib.sha256(
        pd.util.hash_pandas_object(frame[["place", "t", "g", "y"]], index=False).to_numpy()
        .tobytes()).hexdigest()
    return Panel(frame=frame[["place", "cluster", "area", "t", "g", "y", "month"]], months=months,
                 data_hash=digest, incomplete=incomplete)


def fidelity(*, starts: dict[str, dt.date], last: int) -> list[dict]:
    """Per treated village: officer tenure (months in post of the posting that covers the end
    of the period), rotations (postings begun since the start, less the first), visits per
    month since the start (from the rollups), meeting issues followed up and referral
    completion (shares, None where there were none)."""
    from polmas.cases.models import Referral
    from polmas.forums.models import MeetingIssue
    from polmas.policing.models import Assignment

    end = dt.date(last // 100, last % 100, 28)
    codes = list(starts)
    posts: dict[str, list] = {c: [] for c in codes}
    for a in Assignment.objects.filter(village_id__in=codes).order_by("start"):
        posts[a.village_id].append(a)
    visits = dict(MonthlyFigures.objects.filter(level=4, prefix__in=codes, category=None)
                  .values("prefix").annotate(v=Sum("visits")).values_list("prefix", "v"))
    issues = {r["meeting__village_id"]: r for r in MeetingIssue.objects.filter(
        meeting__village_id__in=codes, sensitive=False).values("meeting__village_id").annotate(
        n=Count("pk"), done=Count("pk", filter=~Q(outcome_status="open")))}
    refs = {r["case__village_id"]: r for r in Referral.objects.filter(
        case__village_id__in=codes).values("case__village_id").annotate(
        n=Count("pk"), done=Count("pk", filter=Q(status="accepted")))}
    out = []
    for code in codes:
        start = starts[code]
        months = max(1, (end.year - start.year) * 12 + end.month - start.month + 1)
        current = [a for a in posts[code] if a.start <= end and (a.end is None or a.end >= end)]
        tenure = None
        if current:
            s = current[-1].start
            tenure = (end.year - s.year) * 12 + end.month - s.month
        since = [a for a in posts[code] if a.start >= start]
        iss, ref = issues.get(code), refs.get(code)
        out.append({
            "place": code,
            "tenure_months": tenure,
            "rotations": max(0, len(since) - 1),
            "visits_per_month": round((visits.get(code) or 0) / months, 2),
            "issues_followed_share": round(iss["done"] / iss["n"], 3) if iss and iss["n"] else None,
            "referrals_completed_share": round(ref["done"] / ref["n"], 3) if ref and ref["n"]
            else None,
        })
    return out


def fidelity_score(row: dict) -> float:
    """One number to split high from low fidelity: visits per month, plus tenure in years,
    plus the follow-up shares (each 0..1), less rotations. Descriptive only."""
    return float(np.nansum([row["visits_per_month"], (row["tenure_months"] or 0) / 12,
                            row["issues_followed_share"] or 0,
                            row["referrals_completed_share"] or 0, -row["rotations"]]))
