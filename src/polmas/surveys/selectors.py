"""Reads of the surveys room. Only published aggregates leave it: a regency, province or the
country, with at least estimates.MIN_N answers. No selector returns a response or a village's
figures, so no role (police or other) can read answers below the published aggregate."""

from django.db.models import Count, Max

from polmas.surveys.estimates import Cell, Change, change
from polmas.surveys.models import Estimate, Item, Sample

PCT_FIELDS = {"feel_safe": "feel_safe_pct", "trust_police": "trust_police_pct"}


def sample_latest(*, survey: str = "standard") -> Sample | None:
    """The latest wave that has estimates (public)."""
    return (Sample.objects.filter(version__survey__slug=survey, estimates__isnull=False)
            .order_by("-year", "-created_at").distinct().first())


def _cell(e: Estimate) -> Cell:
    return Cell(e.indicator, e.level, e.code, e.n, e.value, e.se, e.low, e.high, e.df)


def estimates_list(*, sample: Sample, level: int | None = None, prefix: str = "") -> list[Cell]:
    """The stored cells of a wave (public: cells under the minimum carry no number)."""
    qs = Estimate.objects.filter(sample=sample)
    if level is not None:
        qs = qs.filter(level=level)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    return [_cell(e) for e in qs.order_by("indicator", "level", "code")]


def sample_before(*, sample: Sample) -> Sample | None:
    """The wave estimated before `sample` (same survey), if any."""
    return (Sample.objects.filter(version__survey=sample.version.survey, estimates__isnull=False)
            .exclude(pk=sample.pk).filter(year__lte=sample.year, created_at__lt=sample.created_at)
            .order_by("-year", "-created_at").distinct().first())


def wave_change(*, before: Sample, after: Sample, indicator: str, code: str) -> Change | None:
    """The change of one indicator in one region between two waves, with its interval."""
    a = Estimate.objects.filter(sample=before, indicator=indicator, code=code).first()
    b = Estimate.objects.filter(sample=after, indicator=indicator, code=code).first()
    return change(_cell(a), _cell(b)) if a and b else None


def _fields(cells: dict[str, Cell]) -> dict:
    out: dict = {}
    for indicator, name in PCT_FIELDS.items():
        c = cells.get(indicator)
        published = c is not None and c.published
        out[name] = round(c.value, 1) if published else None  # type: ignore[union-attr,arg-type]
        out[f"{name}_ci"] = [round(c.low, 1), round(c.high, 1)] if published else None  # type: ignore[union-attr,arg-type]
        out[f"{name}_n"] = c.n if c is not None else 0
    return out


def stats_fields(*, codes: list[str] | None = None) -> tuple[dict, dict[str, dict]]:
    """For `polmas stats`: (country fields, {region code: fields}) from the latest wave:
    feel_safe_pct and trust_police_pct, each with _ci [low, high] and _n; null when too few
    answered or no wave was run."""
    sample = sample_latest()
    by_code: dict[str, dict[str, Cell]] = {}
    if sample is not None:
        for e in Estimate.objects.filter(sample=sample, indicator__in=list(PCT_FIELDS)):
            by_code.setdefault(e.code, {})[e.indicator] = _cell(e)
    return _fields(by_code.get("", {})), {c: _fields(by_code.get(c, {})) for c in (codes or [])}


def items_with_sources(*, sample: Sample) -> list[Item]:
    return list(sample.version.items.order_by("position"))


DASHBOARD_INDICATORS = ("feel_safe", "trust_police", "trust_index")


def region_waves(*, code: str, indicators: tuple[str, ...] = DASHBOARD_INDICATORS,
                 survey: str = "standard") -> list[tuple[Sample, dict[str, Cell]]]:
    """Every estimated wave's published cells of one region ("" for the country; regencies
    and above only), oldest first: the dashboards' survey cards and trend."""
    rows = (Estimate.objects.filter(sample__version__survey__slug=survey, code=code, indicator__in=indicators)
            .select_related("sample").order_by("sample__year", "sample__created_at", "indicator"))
    waves: dict[int, tuple[Sample, dict[str, Cell]]] = {}
    for e in rows:
        waves.setdefault(e.sample_id, (e.sample, {}))[1][e.indicator] = _cell(e)
    return list(waves.values())


def regions_waves(*, codes: list[str], indicators: tuple[str, ...] = DASHBOARD_INDICATORS,
                  survey: str = "standard") -> dict[str, list[tuple[Sample, dict[str, Cell]]]]:
    """region_waves for several regions at once (regencies and above), in one query:
    {code: its waves oldest first}; a code without estimates is absent."""
    rows = (Estimate.objects.filter(sample__version__survey__slug=survey, code__in=codes,
                                    indicator__in=indicators)
            .select_related("sample").order_by("code", "sample__year", "sample__created_at", "indicator"))
    waves: dict[str, dict[int, tuple[Sample, dict[str, Cell]]]] = {}
    for e in rows:
        waves.setdefault(e.code, {}).setdefault(e.sample_id, (e.sample, {}))[1][e.indicator] = _cell(e)
    return {code: list(found.values()) for code, found in waves.items()}


def child_cells(*, sample: Sample, codes: list[str],
                indicators: tuple[str, ...] = ("feel_safe", "trust_police")) -> dict[str, dict[str, Cell]]:
    """The published cells of `sample` for each of `codes` (a region's children: provinces or
    regencies), {code: {indicator: cell}}; a code without estimates is absent."""
    out: dict[str, dict[str, Cell]] = {}
    for e in Estimate.objects.filter(sample=sample, code__in=codes, indicator__in=indicators):
        out.setdefault(e.code, {})[e.indicator] = _cell(e)
    return out


def estimates_stamp() -> str:
    """Changes whenever an estimate is stored: part of the kept dashboards' key."""
    row = Estimate.objects.aggregate(last=Max("computed_at"), n=Count("id"))
    return f"{row['n']}-{row['last'].timestamp() if row['last'] else 0}"


def regency_waves(*, indicator: str, survey: str = "standard",
                  codes: list[str] | None = None) -> list[tuple[Sample, dict[str, Cell]]]:
    """Every estimated wave's published regency cells of one indicator, oldest first:
    [(wave, {regency code: cell})]; a regency without a published number is absent. For the
    evaluation room's survey outcomes (a regency x wave panel)."""
    rows = (Estimate.objects.filter(sample__version__survey__slug=survey, level=2,
                                    indicator=indicator, value__isnull=False)
            .select_related("sample").order_by("sample__year", "sample__created_at", "code"))
    if codes is not None:
        rows = rows.filter(code__in=codes)
    waves: dict[int, tuple[Sample, dict[str, Cell]]] = {}
    for e in rows:
        waves.setdefault(e.sample_id, (e.sample, {}))[1][e.code] = _cell(e)
    return list(waves.values())
