"""Writes to the rollups: the full rebuild and the refresh of a few places."""

from collections.abc import Callable

from django.db import transaction

from polmas.analytics.coverage_rollup import coverage_rebuild_year, coverage_refresh, coverage_years
from polmas.analytics.rollup import facts_rebuild, facts_refresh, lock, rollup_years, state_touch
from polmas.regions import codes

REBUILD_STEPS = 5  # villages, 4 levels; plus one per coverage year


def rollups_rebuild(*, progress: Callable[[str], None] | None = None,
                    years: list[int] | None = None) -> list[int]:
    """Rebuild every rollup from the raw tables in one transaction, so readers see the old
    figures until the new ones are complete; returns the coverage years built.
    Requires: nothing (a command, run by an operator); idempotent."""
    with transaction.atomic():
        lock()
        facts_rebuild(progress)
        built = sorted(set(years or []) | set(rollup_years()))
        for year in built:
            coverage_rebuild_year(year)
            if progress:
                progress(f"coverage {year}")
        from polmas.analytics.models import CoverageFigures

        CoverageFigures.objects.exclude(year__in=built).delete()
        state_touch(built=True)
    return built


def coverage_year_ensure(*, year: int) -> None:
    """Build the coverage figures of `year` if they were never built (e.g. `stats --year`
    for a year without activity). Requires: nothing; idempotent."""
    if year in coverage_years():
        return
    with transaction.atomic():
        lock()
        if year not in coverage_years():
            coverage_rebuild_year(year)
            state_touch(built=False)  # boards drawn before it are out of date


def rollups_refresh(*, places: list[str], coverage: bool = True) -> set[int]:
    """Recount the villages among `places` (monthly figures and coverage) and the ancestors
    of every place, for the months that changed and every coverage year; returns the
    months. `coverage=False` after writes that cannot change coverage (reports: coverage
    counts villages, postings, officers and forums): the monthly figures only, and the
    coverage of a year seen for the first time. Requires: nothing (called by the background
    task after a commit)."""
    valid = [p for p in set(places) if p and codes.is_valid(p)]
    villages = sorted(p for p in valid if codes.level_of(p) == codes.VILLAGE)
    regions = sorted(p for p in valid if codes.level_of(p) != codes.VILLAGE)
    with transaction.atomic():
        lock()
        months = facts_refresh(villages)
        years = set(coverage_years()) | {m // 100 for m in months}
        for year in sorted(years):
            if year not in coverage_years():
                coverage_rebuild_year(year)
            elif coverage:
                coverage_refresh(year, villages, regions)
        state_touch(built=False)
    return months
