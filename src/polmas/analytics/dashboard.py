"""The figures of one region for one year, read from the rollups in a constant handful of
queries whatever the level: its own months and categories, its children, its coverage,
and (for dashboards) the worst gaps and the most overdue cases."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from polmas.analytics.coverage_rollup import coverage_years
from polmas.analytics.figures import Figures
from polmas.analytics.models import COUNTERS, CoverageFigures, MonthlyFigures, RollupState
from polmas.cases.models import Case
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.reports.models import Category
from polmas.reports.selectors import satisfaction
from polmas.surveys.selectors import child_cells, region_waves

COVERAGE = ["villages", "villages_with_officer", "villages_with_forum", "officers", "forums"]
OVERDUE_DAYS = 14
GAPS_SHOWN = 20
OVERDUE_SHOWN = 10
# A rendered board is kept this long at most, even when no rollup changed: its overdue
# cases count days, and a case's progress reaches the rollup stamp only through its task.
BOARD_CACHE_SECONDS = 300
# Fewer residents' answers than this and the satisfaction card shows no number (as the
# dashboards' rule of <5: a handful of answers would single out who gave them).
SATISFACTION_MIN_ANSWERS = 5
SURVEY_SHOWN = ("feel_safe", "trust_police", "trust_index")


@dataclass
class Child:
    code: str
    name: str
    latitude: float | None
    longitude: float | None
    figures: Figures


@dataclass
class CategoryFigures:
    id: int
    name: str
    sensitive: bool
    figures: Figures


@dataclass
class Gap:
    code: str
    name: str
    district: str
    has_officer: bool
    has_forum: bool


@dataclass
class Overdue:
    number: str
    village: str  # "" for sealed cases: only their district is shown
    district: str
    category: str  # "" for sealed cases
    sealed: bool
    stage: str
    days_open: int
    days_idle: int
    case_id: int = 0


@dataclass
class Satisfaction:
    """What residents said of their resolved reports (reports.feedback) in the board's region
    and year. Read live, not from the rollups: a new answer shows once the rendered board
    expires (BOARD_CACHE_SECONDS, 5 minutes at most)."""
    answers: int
    fixed: int
    share_fixed: float | None  # 0..1
    mean_rating: float | None  # 1..5, None without ratings

    @property
    def shown(self) -> bool:
        return self.answers >= SATISFACTION_MIN_ANSWERS

    @property
    def pct_fixed(self) -> float | None:
        return None if self.share_fixed is None else 100 * self.share_fixed


def region_satisfaction(*, code: str, year: int) -> Satisfaction:
    """The residents' answers under `code` ("" for the country) given in `year` (UTC)."""
    utc = dt.UTC
    row = satisfaction(prefixes=[code] if code else None, since=dt.datetime(year, 1, 1, tzinfo=utc),
                       until=dt.datetime(year + 1, 1, 1, tzinfo=utc))
    return Satisfaction(answers=row["answers"], fixed=row["fixed"], share_fixed=row["share_fixed"],
                        mean_rating=row["mean_rating"])


@dataclass
class Board:
    code: str
    name: str
    level: int
    year: int
    years: list[int]
    crumbs: list[tuple[str, str]]
    figures: Figures
    months: list[tuple[int, Figures]]
    categories: list[CategoryFigures]
    children: list[Child]
    updated_at: dt.datetime | None
    gaps: list[Gap] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    satisfaction: Satisfaction | None = None
    # The survey's waves for this region (regency and above): [(sample, {indicator: cell})].
    survey: list = field(default_factory=list)
    # The latest wave's cells of the children (provinces, regencies): {code: {indicator: cell}}.
    survey_children: dict = field(default_factory=dict)

    @property
    def survey_cards(self) -> tuple[object, list[tuple[str, object]]] | None:
        """The latest wave and its cells in the order shown."""
        if not self.survey:
            return None
        sample, cells = self.survey[-1]
        return sample, [(k, cells[k]) for k in SURVEY_SHOWN if k in cells]

    @property
    def survey_trend(self) -> list[tuple[object, list]]:
        """(wave, [feel safe, trust in police]) per wave, oldest first."""
        return [(sample, [cells.get("feel_safe"), cells.get("trust_police")])
                for sample, cells in self.survey]

    @property
    def survey_child_rows(self) -> list[tuple[Child, list]]:
        """(child, [feel safe, trust in police]) in the latest wave, for the children with a
        published or withheld estimate, in the children's order."""
        cells = self.survey_children
        return [(c, [cells[c.code].get("feel_safe"), cells[c.code].get("trust_police")])
                for c in self.children if c.code in cells]

    @property
    def child_level(self) -> int | None:
        return self.level + 1 if self.level < codes.VILLAGE else None


def _under(prefix: str) -> Q:
    return Q(prefix__gte=prefix, prefix__lt=prefix + "/") if prefix else Q()


def _accumulate(into: dict, row: dict) -> None:
    for c in COUNTERS:
        into[c] = into.get(c, 0) + (row[c] or 0)


def _summed(key: str, where: str, params: list) -> list[dict]:
    """The rollup counters summed per `key` (a column) over the rows matching `where` and a
    month range (the last two parameters): hand-written SQL, because the ORM spends more
    time building 33 SUM expressions than the database spends adding them up."""
    quote = connection.ops.quote_name
    sums = ", ".join(f"SUM({quote(c)})" for c in COUNTERS)
    sql = (f"SELECT {quote(key)}, {sums} FROM {quote(MonthlyFigures._meta.db_table)} "  # noqa: S608
           f"WHERE {where} AND month >= %s AND month <= %s GROUP BY {quote(key)}")
    names = [key, *COUNTERS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _regions(code: str) -> dict[str, dict]:
    """The region, its ancestors and its children: one query."""
    q = Q(code__in=codes.ancestors(code)) | Q(parent_id=code) if code else Q(level=codes.PROVINCE)
    return {r["code"]: r for r in Region.objects.filter(q).values(
        "code", "name", "level", "latitude", "longitude")}


def _categories() -> dict[int, dict]:
    return {c["id"]: c for c in Category.objects.values("id", "name_id", "name_en", "sensitive")}


def _category_name(c: dict) -> str:
    from django.utils.translation import get_language

    return c["name_en"] if (get_language() or "id").startswith("en") else c["name_id"]


def region_board(*, code: str, year: int, details: bool = False) -> Board | None:
    """The board of `code` ("" for the country) for `year`; None when the region does not
    exist. `details` adds the worst gaps and the most overdue cases (internal only).
    No scope check: callers check scope (dashboards) or suppress (public pages)."""
    level = codes.level_of(code) if code else 0
    regions = _regions(code)
    if code and code not in regions:
        return None
    # Summed by month and by category in SQL: a dozen rows each instead of every
    # (month, category) row added up in Python.
    months_range = [year * 100 + 1, year * 100 + 12]
    month_sums: dict[int, dict] = {year * 100 + m: {} for m in range(1, 13)}
    total_sums: dict = {}
    for row in _summed("month", "level = %s AND prefix = %s", [level, code, *months_range]):
        month_sums[row["month"]] = row
        _accumulate(total_sums, row)
    category_sums = {row["category_id"]: row for row in _summed(
        "category_id", "level = %s AND prefix = %s AND category_id IS NOT NULL",
        [level, code, *months_range])}
    total = Figures.from_sums(total_sums)
    months = {m: Figures.from_sums(v) for m, v in month_sums.items()}
    by_category = {c: Figures.from_sums(v) for c, v in category_sums.items()}
    # The region's row and its children's: both levels lie in the prefix range of `code`.
    coverage = {c["prefix"]: c for c in CoverageFigures.objects.filter(
        _under(code), year=year, level__in=[level, level + 1]).values("prefix", *COVERAGE)}
    total.with_coverage(coverage.get(code))
    children = []
    if level < codes.VILLAGE:
        under, under_params = ("AND prefix >= %s AND prefix < %s", [code, code + "/"]) if code else ("", [])
        sums = _summed("prefix", f"level = %s {under}", [level + 1, *under_params, *months_range])
        child_figures = {s["prefix"]: Figures.from_sums(s) for s in sums}
        for child_code, r in sorted(regions.items()):
            if r["level"] != level + 1:
                continue
            f = child_figures.get(child_code, Figures()).with_coverage(coverage.get(child_code))
            children.append(Child(child_code, r["name"], r["latitude"], r["longitude"], f))
    cats = _categories()
    categories = sorted(
        (CategoryFigures(cid, _category_name(cats[cid]), cats[cid]["sensitive"], f)
         for cid, f in by_category.items() if cid in cats),
        key=lambda c: (-c.figures.reports - c.figures.raised, c.name))
    state = RollupState.objects.filter(pk=1).values_list("updated_at", "built_at").first()
    board = Board(
        code=code, name=regions[code]["name"] if code else "", level=level, year=year,
        years=coverage_years(), crumbs=[(a, regions[a]["name"]) for a in (codes.ancestors(code)[:-1] if code
                                                                         else []) if a in regions],
        figures=total, months=sorted(months.items()), categories=categories, children=children,
        updated_at=max((t for t in (state or ()) if t), default=None),
    )
    if details:
        board.gaps = gaps(code=code, year=year)
        board.overdue = overdue(code=code)
        board.satisfaction = region_satisfaction(code=code, year=year)
        if level <= codes.REGENCY:
            board.survey = region_waves(code=code)
            if board.survey and level < codes.REGENCY:  # a regency's children (districts) have none
                board.survey_children = child_cells(sample=board.survey[-1][0],
                                                    codes=[c.code for c in children])
    return board


def gaps(*, code: str, year: int, limit: int = GAPS_SHOWN) -> list[Gap]:
    """Villages under `code` without an officer or a forum: those lacking both first."""
    base = CoverageFigures.objects.filter(_under(code), year=year, level=codes.VILLAGE)
    rows = list(base.filter(lacks=2).order_by("prefix").values_list(
        "prefix", "villages_with_officer", "villages_with_forum")[:limit])
    if len(rows) < limit:
        rows += list(base.filter(lacks=1).order_by("prefix").values_list(
            "prefix", "villages_with_officer", "villages_with_forum")[:limit - len(rows)])
    names = {r.code: (r.name, r.parent.name if r.parent else "") for r in
             Region.objects.filter(code__in=[r[0] for r in rows]).select_related("parent")} if rows else {}
    return [Gap(c, *names.get(c, ("", "")), has_officer=bool(o), has_forum=bool(f)) for c, o, f in rows]


def _overdue_rows(code: str, since: dt.datetime, limit: int) -> list[dict]:
    """The open cases longest without progress, the cheap way for the size of `code`.

    For the country and a province (tens of thousands of open cases) a subquery per open
    stage walks the (stage, last_activity_at) index and stops at `limit`; for a regency and
    below the region's own cases are few, so the stage is compared as text (no index) and
    the (region_code) range index does the work.
    """
    fields = ("pk", "opened_at", "village_id", "village__name", "village__parent__name",
              "category__name_id", "category__name_en", "sensitive", "stage", "last_activity_at")
    base = Case.objects.filter(last_activity_at__lt=since)
    if code:
        base = base.filter(village_id__gte=code, village_id__lt=code + "/")
    if not code or codes.level_of(code) == codes.PROVINCE:
        # One query: the `limit` oldest of each stage (index walks), then the oldest of those.
        walks = [base.filter(stage=stage).order_by("last_activity_at").values(*fields)[:limit]
                 for stage in Case.OPEN_STAGES]
        if connection.features.supports_slicing_ordering_in_compound:
            # PostgreSQL: a UNION ALL of the walks (an OR of `pk IN (...)` makes it scan the table).
            rows = list(walks[0].union(*walks[1:], all=True).order_by("last_activity_at")[:limit])
        else:
            # SQLite allows no LIMIT inside a compound SELECT, and walks the index per subquery.
            per_stage = Q(pk__in=[])
            for stage in Case.OPEN_STAGES:  # ids only: no joins inside the walks
                walk = base.filter(stage=stage).order_by("last_activity_at").values("pk")[:limit]
                per_stage |= Q(pk__in=walk)
            rows = list(Case.objects.filter(per_stage).order_by("last_activity_at").values(*fields)[:limit])
    else:
        plain = Concat(F("stage"), Value(""), output_field=CharField())
        rows = list(base.annotate(stage_text=plain).filter(stage_text__in=Case.OPEN_STAGES)
                    .order_by("last_activity_at").values(*fields)[:limit])
    return sorted(rows, key=lambda r: (r["last_activity_at"], r["pk"]))[:limit]


def overdue(*, code: str, limit: int = OVERDUE_SHOWN) -> list[Overdue]:
    """Open cases under `code` longest without progress (none for OVERDUE_DAYS days).
    Sealed cases show only their district, never their village or category."""
    now = timezone.now()
    out = []
    for r in _overdue_rows(code, now - dt.timedelta(days=OVERDUE_DAYS), limit):
        sealed = bool(r["sensitive"])
        category = _category_name({"name_id": r["category__name_id"], "name_en": r["category__name_en"]})
        out.append(Overdue(
            number=f"K-{r['opened_at']:%Y}-{r['pk']:06d}",
            village="" if sealed else f"{r['village__name']} ({r['village_id']})",
            district=r["village__parent__name"] or "", category="" if sealed else category,
            sealed=sealed, stage=str(Case.Stage(r["stage"]).label),
            days_open=(now - r["opened_at"]).days, days_idle=(now - r["last_activity_at"]).days,
            case_id=r["pk"]))
    return out


def rollups_stamp() -> str:
    """When the rollups last changed (refresh or rebuild): a board drawn from them stays
    valid until this moves. One indexed read of a one-row table."""
    state = RollupState.objects.filter(pk=1).values_list("updated_at", "built_at").first()
    return "-".join(t.isoformat() if t else "" for t in state) if state else ""

