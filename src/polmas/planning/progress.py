"""Progress against targets: the actual from the rollups, a projection to the target year
from the trend, and a status by a stated rule.

Projection: ordinary least squares of the yearly actual on the year (statsmodels), predicted
at the target year with its 80% prediction interval. With fewer than three years there is no
interval and the status is "not enough data". A straight line does not know that a share
stops at 100% and a number of days at 0: the projection and both ends of its interval are
clipped to the indicator's range (`RANGES`), so a steep trend shows 100%, never 177%.

Status rule (shown on the page), for an indicator where higher is better (reversed for the
median days to resolve):
- on track: the projection reaches the target;
- at risk: the projection falls short, but the upper end of the 80% interval reaches it;
- off track: even the upper end of the 80% interval falls short.
"""

from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polmas.analytics.figures import Figures
from polmas.analytics.models import BUCKETS, OUTCOME_FIELDS, CoverageFigures, MonthlyFigures
from polmas.planning.models import LOWER_IS_BETTER, Indicator, Target
from polmas.policing.selectors import trained_by_year
from polmas.regions import codes
from polmas.surveys.selectors import region_waves

STATUS_LABELS = {
    "on_track": _("on track"), "at_risk": _("at risk"), "off_track": _("off track"),
    "no_data": _("not enough data"), "no_target": _("no target"),
}
LEVEL_PI = 0.8


def range_of(indicator: str) -> tuple[float, float | None]:
    """The values `indicator` can take: days from 0 up, every other indicator a percentage."""
    return (0.0, None) if indicator in LOWER_IS_BETTER else (0.0, 100.0)


@dataclass
class Projection:
    value: float
    low: float
    high: float


def project(years: list[int], values: list[float], to_year: int, *,
            bounds: tuple[float, float | None] = (0.0, None)) -> Projection | None:
    """OLS trend of `values` on `years`, predicted at `to_year` with an 80% prediction
    interval clipped to `bounds` (low, high or None); None with fewer than three points."""
    if len(years) < 3:
        return None
    x = sm.add_constant(np.asarray(years, dtype=float))
    fit = sm.OLS(np.asarray(values, dtype=float), x).fit()
    frame = fit.get_prediction(np.asarray([[1.0, float(to_year)]])).summary_frame(alpha=1 - LEVEL_PI)
    low, high = bounds

    def clip(v) -> float:
        return float(np.clip(float(v), low, np.inf if high is None else high))

    return Projection(value=clip(frame["mean"].iloc[0]), low=clip(frame["obs_ci_lower"].iloc[0]),
                      high=clip(frame["obs_ci_upper"].iloc[0]))


def status_of(indicator: str, target: float | None, projection: Projection | None) -> str:
    if target is None:
        return "no_target"
    if projection is None:
        return "no_data"
    if indicator in LOWER_IS_BETTER:
        value, best = -projection.value, -projection.low
        target = -target
    else:
        value, best = projection.value, projection.high
    if value >= target:
        return "on_track"
    return "at_risk" if best >= target else "off_track"


def effective_target(region: str, indicator: str, year: int) -> tuple[float | None, str | None]:
    """(value, region it comes from): the region's own target, else its nearest ancestor's,
    else the national one (a province inherits the national target unless set)."""
    chain = [region] if not region else [*reversed(codes.ancestors(region)), ""]
    found = {t.region_code: t.value for t in Target.objects.filter(
        region_code__in=chain, indicator=indicator, year=year)}
    for code in chain:
        if code in found:
            return found[code], code
    return None, None


SURVEY_INDICATORS = {Indicator.FEEL_SAFE: "feel_safe", Indicator.TRUST: "trust_police"}


def _coverage_series(region: str, field: str) -> dict[int, float]:
    level = codes.level_of(region) if region else 0
    rows = (CoverageFigures.objects.filter(level=level, prefix=region).values("year")
            .annotate(v=Sum("villages"), c=Sum(field)).order_by("year"))
    return {r["year"]: 100 * r["c"] / r["v"] for r in rows if r["v"]}


def _case_figures(region: str) -> dict[int, Figures]:
    """The region's case outcomes and days-to-resolve histogram per calendar year (by the
    month closed), summed from the monthly rollups."""
    level = codes.level_of(region) if region else 0
    fields = [*OUTCOME_FIELDS.values(), *BUCKETS]
    rows = (MonthlyFigures.objects.filter(level=level, prefix=region).values("month")
            .annotate(**{f: Sum(f) for f in fields}))
    years: dict[int, Figures] = {}
    for row in rows:
        month = row.pop("month")
        years.setdefault(month // 100, Figures()).add(Figures.from_sums(row))
    return years


def actual_series(region: str, indicator: str, *, this_year: int | None = None) -> dict[int, float]:
    """Yearly actual of an indicator; empty where no figures exist.

    - coverage (officer, forum): the coverage rollups, as of each year's end;
    - resolved: share of the problems closed in the year that were resolved (mediation or
      action), and the median days to resolve, from the monthly rollups (by month closed);
    - trained: share of today's active Bhabinkamtibmas officers of the region with a training
      completed by the year's end (policing's selector), for the years of the coverage
      rollups and this year;
    - feel safe, trust: the survey's published estimate of the region (regency and above),
      the latest wave of each year.
    """
    if indicator == Indicator.OFFICER_COVERAGE:
        return _coverage_series(region, "villages_with_officer")
    if indicator == Indicator.FORUM_COVERAGE:
        return _coverage_series(region, "villages_with_forum")
    if indicator in (Indicator.RESOLVED, Indicator.MEDIAN_DAYS):
        out = {}
        for year, figures in sorted(_case_figures(region).items()):
            value = figures.rate if indicator == Indicator.RESOLVED else figures.median_days
            if value is not None:
                out[year] = float(value)
        return out
    if indicator == Indicator.TRAINED:
        this_year = this_year or timezone.localdate().year
        years = sorted({*_coverage_series(region, "villages").keys(), this_year})
        return {y: 100 * trained / officers
                for y, (officers, trained) in trained_by_year(region, years).items() if officers}
    if indicator in SURVEY_INDICATORS:
        if region and codes.level_of(region) > codes.REGENCY:
            return {}
        key = SURVEY_INDICATORS[Indicator(indicator)]
        out = {}
        for sample, cells in region_waves(code=region, indicators=(key,)):
            cell = cells.get(key)
            if cell is not None and cell.published:
                out[sample.year] = float(cell.value)  # waves come oldest first: the last wins
        return out
    return {}


@dataclass
class ProgressRow:
    indicator: str
    label: str
    target: float | None
    target_from: str | None
    year: int
    actual: float | None
    actual_year: int | None
    projection: Projection | None
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def progress(region: str, year: int) -> list[ProgressRow]:
    rows = []
    for indicator in Indicator:
        target, source = effective_target(region, indicator.value, year)
        series = actual_series(region, indicator.value)
        years = sorted(series)
        proj = project(years, [series[y] for y in years], year,
                       bounds=range_of(indicator.value)) if years else None
        rows.append(ProgressRow(
            indicator=indicator.value, label=str(indicator.label), target=target,
            target_from=source, year=year, actual=series[years[-1]] if years else None,
            actual_year=years[-1] if years else None, projection=proj,
            status=status_of(indicator.value, target, proj)))
    return rows


def children_mismatch(region: str, indicator: str, year: int) -> tuple[float, float] | None:
    """(parent target, village-weighted mean of the children's effective targets) when the
    children's targets do not add up to the parent's (the mean falls short); else None.
    Children are provinces under the country, regencies under a province."""
    parent, _src = effective_target(region, indicator, year)
    level = codes.level_of(region) if region else 0
    if parent is None or level >= codes.REGENCY:
        return None
    latest = CoverageFigures.objects.filter(level=level + 1).order_by("-year").values_list(
        "year", flat=True).first()
    if latest is None:
        return None
    children = CoverageFigures.objects.filter(level=level + 1, year=latest)
    if region:
        children = children.filter(prefix__gte=region, prefix__lt=region + "/")
    weights = dict(children.values_list("prefix", "villages"))
    total = sum(weights.values())
    if not total:
        return None
    mean = sum(w * (effective_target(c, indicator, year)[0] or 0) for c, w in weights.items()) / total
    worse = mean > parent if indicator in LOWER_IS_BETTER else mean < parent
    return (parent, round(mean, 2)) if worse and abs(mean - parent) > 1e-6 else None


# The road map's card on the dashboards: every child region of a board at once.

STATUS_COLOURS = {"on_track": "#2e8540", "at_risk": "#b26a00", "off_track": "#b3261e",
                  "no_data": "#9aa5b1", "no_target": "#d5dbe1"}
WORST_FIRST = ("off_track", "at_risk", "on_track", "no_data", "no_target")
HORIZON = 2030  # the target year when no region of the board has one from this year on


def overall_status(statuses: list[str]) -> str:
    """A region's status on the map: its worst status among the indicators with a target and
    enough data (off track, then at risk, then on track); else not enough data when some
    indicator has a target; else no target."""
    return next((s for s in WORST_FIRST if s in statuses), "no_target")


@dataclass
class ChildProgress:
    code: str
    name: str
    latitude: float | None
    longitude: float | None
    rows: list[ProgressRow]
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class BoardProgress:
    code: str
    year: int
    indicators: list[tuple[str, str]]  # (value, label) of the indicators with a target
    children: list[ChildProgress]


def _chain(code: str) -> list[str]:
    """The region and its ancestors, nearest first, ending with the country ("")."""
    return [*reversed(codes.ancestors(code)), ""] if code else [""]


def board_progress(code: str, *, year: int | None = None,
                   this_year: int | None = None) -> BoardProgress | None:
    """Progress of each child region of a board (provinces of the country, regencies of a
    province, districts of a regency), in a constant number of queries (seven): the same
    targets, actuals, projections and statuses as `progress` gives region by region.

    The target year is `year`, else the nearest year from this year on for which the board's
    region, an ancestor or a child has a target, else 2030. None below a regency."""
    from polmas.policing.selectors import trained_by_year_of_children
    from polmas.regions.models import Region
    from polmas.surveys.selectors import regions_waves

    level = codes.level_of(code) if code else 0
    if level >= codes.DISTRICT:
        return None
    child_level, child_len = level + 1, codes.LEVEL_LENGTHS[level + 1]
    this_year = this_year or timezone.localdate().year

    def under(qs, field: str):
        return qs.filter(**{f"{field}__gte": code, f"{field}__lt": code + "/"}) if code else qs

    chain = _chain(code)
    targets: dict[tuple[str, str, int], float] = {}
    for t in Target.objects.filter(year__gte=this_year if year is None else year).filter(
            Q(region_code__in=chain) | Q(region_code__gt=code, region_code__lt=code + "/") if code else Q()
    ).values("region_code", "indicator", "year", "value"):
        targets[(t["region_code"], t["indicator"], t["year"])] = t["value"]
    if year is None:
        year = min((y for _r, _i, y in targets), default=HORIZON)

    children = list(under(Region.objects.filter(level=child_level), "code").order_by("code").values(
        "code", "name", "latitude", "longitude"))
    child_codes = [c["code"] for c in children]

    series: dict[str, dict[str, dict[int, float]]] = {c: {} for c in child_codes}
    coverage_years: dict[str, set[int]] = {c: set() for c in child_codes}
    for row in under(CoverageFigures.objects.filter(level=child_level), "prefix").values(
            "prefix", "year").annotate(v=Sum("villages"), o=Sum("villages_with_officer"),
                                       f=Sum("villages_with_forum")).order_by():
        if row["prefix"] not in series:
            continue
        coverage_years[row["prefix"]].add(row["year"])
        if row["v"]:
            cut = series[row["prefix"]]
            cut.setdefault(Indicator.OFFICER_COVERAGE, {})[row["year"]] = 100 * row["o"] / row["v"]
            cut.setdefault(Indicator.FORUM_COVERAGE, {})[row["year"]] = 100 * row["f"] / row["v"]

    fields = [*OUTCOME_FIELDS.values(), *BUCKETS]
    cases: dict[str, dict[int, Figures]] = {}
    for row in under(MonthlyFigures.objects.filter(level=child_level), "prefix").values(
            "prefix", "month").annotate(**{f: Sum(f) for f in fields}).order_by():
        prefix, month = row.pop("prefix"), row.pop("month")
        cases.setdefault(prefix, {}).setdefault(month // 100, Figures()).add(Figures.from_sums(row))
    for prefix, years in cases.items():
        if prefix not in series:
            continue
        for y, figures in sorted(years.items()):
            if figures.rate is not None:
                series[prefix].setdefault(Indicator.RESOLVED, {})[y] = float(figures.rate)
            if figures.median_days is not None:
                series[prefix].setdefault(Indicator.MEDIAN_DAYS, {})[y] = float(figures.median_days)

    all_years = sorted({y for ys in coverage_years.values() for y in ys} | {this_year})
    trained = trained_by_year_of_children(code, child_len, all_years)
    for child, by_year in trained.items():
        if child not in series:
            continue
        wanted = coverage_years[child] | {this_year}
        series[child][Indicator.TRAINED] = {y: 100 * t / n for y, (n, t) in by_year.items()
                                            if n and y in wanted}

    if child_level <= codes.REGENCY:
        keys = {key: indicator for indicator, key in SURVEY_INDICATORS.items()}
        for child, waves in regions_waves(codes=child_codes, indicators=tuple(keys)).items():
            for sample, cells in waves:
                for key, cell in cells.items():
                    if cell.published:
                        series[child].setdefault(keys[key], {})[sample.year] = float(cell.value)

    def target_of(child: str, indicator: str) -> tuple[float | None, str | None]:
        for region in (child, *chain):
            if (region, indicator, year) in targets:
                return targets[(region, indicator, year)], region
        return None, None

    with_target = {i for (_r, i, y) in targets if y == year}
    shown = [(i.value, str(i.label)) for i in Indicator if i.value in with_target]
    out = []
    for child in children:
        rows = []
        for indicator in Indicator:
            target, source = target_of(child["code"], indicator.value)
            found = series[child["code"]].get(indicator, {})
            years = sorted(found)
            proj = project(years, [found[y] for y in years], year,
                           bounds=range_of(indicator.value)) if years else None
            rows.append(ProgressRow(
                indicator=indicator.value, label=str(indicator.label), target=target, target_from=source,
                year=year, actual=found[years[-1]] if years else None,
                actual_year=years[-1] if years else None, projection=proj,
                status=status_of(indicator.value, target, proj)))
        out.append(ChildProgress(code=child["code"], name=child["name"], latitude=child["latitude"],
                                 longitude=child["longitude"],
                                 rows=[r for r in rows if r.indicator in with_target],
                                 status=overall_status([r.status for r in rows])))
    return BoardProgress(code=code, year=year, indicators=shown, children=out)
