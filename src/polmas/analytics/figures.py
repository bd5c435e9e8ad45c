"""Headline figures computed from summed rollup counters: rates, means and the median
days to resolve (estimated from the days-to-resolve histogram)."""

from dataclasses import dataclass, field

from polmas.analytics.models import BUCKETS, OUTCOME_FIELDS, RESOLVE_EDGES

EDGES = (0, *RESOLVE_EDGES)


def median_days(histogram: list[int]) -> float | None:
    """The median of a bucketed distribution, linearly interpolated inside its bucket;
    the open last bucket answers its lower edge."""
    total = sum(histogram)
    if not total:
        return None
    target, seen = total / 2, 0
    for i, count in enumerate(histogram):
        if count and seen + count >= target:
            if i >= len(RESOLVE_EDGES):
                return float(EDGES[i])
            lower, upper = EDGES[i], RESOLVE_EDGES[i]
            return lower + (target - seen) / count * (upper - lower)
        seen += count
    return float(EDGES[-1])


@dataclass
class Figures:
    """The figures of one region (or category, or month) over a period."""

    reports: int = 0
    raised: int = 0  # cases opened
    resolved: int = 0
    closed: int = 0
    visits: int = 0
    activities: int = 0
    meetings: int = 0
    resolve_n: int = 0
    resolve_hours: float = 0.0
    cases_responded: int = 0
    case_response_hours: float = 0.0
    histogram: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    by_outcome: dict[str, int] = field(default_factory=dict)
    # Coverage, when known.
    villages: int | None = None
    villages_with_officer: int | None = None
    villages_with_forum: int | None = None
    officers: int | None = None
    forums: int | None = None

    @classmethod
    def from_sums(cls, sums: dict) -> "Figures":
        g = {k: (v or 0) for k, v in sums.items()}
        outcomes = {o: int(g.get(f, 0)) for o, f in OUTCOME_FIELDS.items()}
        return cls(
            reports=int(g.get("reports", 0)), raised=int(g.get("cases_opened", 0)),
            resolved=outcomes["resolved_mediation"] + outcomes["resolved_action"],
            closed=sum(outcomes.values()), visits=int(g.get("visits", 0)),
            activities=int(g.get("activities", 0)), meetings=int(g.get("meetings", 0)),
            resolve_n=int(g.get("resolve_n", 0)), resolve_hours=float(g.get("resolve_hours", 0)),
            cases_responded=int(g.get("cases_responded", 0)),
            case_response_hours=float(g.get("case_response_hours", 0)),
            histogram=[int(g.get(b, 0)) for b in BUCKETS], by_outcome=outcomes,
        )

    def add(self, other: "Figures") -> None:
        for name in ("reports", "raised", "resolved", "closed", "visits", "activities", "meetings",
                     "resolve_n", "resolve_hours", "cases_responded", "case_response_hours"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.histogram = [a + b for a, b in zip(self.histogram, other.histogram, strict=True)]
        for k, v in other.by_outcome.items():
            self.by_outcome[k] = self.by_outcome.get(k, 0) + v

    def with_coverage(self, coverage: dict | None) -> "Figures":
        if coverage:
            for name in ("villages", "villages_with_officer", "villages_with_forum", "officers", "forums"):
                setattr(self, name, coverage.get(name, 0))
        return self

    @property
    def rate(self) -> float | None:
        """Share of the problems closed in the period that were resolved, in percent."""
        return 100 * self.resolved / self.closed if self.closed else None

    @property
    def median_days(self) -> float | None:
        return median_days(self.histogram)

    @property
    def mean_days(self) -> float | None:
        return self.resolve_hours / self.resolve_n / 24 if self.resolve_n else None

    @property
    def response_hours(self) -> float | None:
        return self.case_response_hours / self.cases_responded if self.cases_responded else None

    @property
    def officer_pct(self) -> float | None:
        return 100 * self.villages_with_officer / self.villages if self.villages else None

    @property
    def forum_pct(self) -> float | None:
        return 100 * self.villages_with_forum / self.villages if self.villages else None
