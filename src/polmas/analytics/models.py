"""Rollups: counts per region prefix (national, province, regency, district, village) per
month per category, and coverage per region per year. Dashboards, public statistics and
`polmas stats` read these tables, never the raw ones; see rollup.py for how they are built."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Upper bounds (in days, exclusive) of the days-to-resolve histogram; the last bucket is open.
# Enough resolution to place a median within a day or two where most problems close.
RESOLVE_EDGES = (1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 180)
BUCKETS = [f"resolve_d{i}" for i in range(len(RESOLVE_EDGES) + 1)]

OUTCOME_FIELDS = {
    "resolved_mediation": "closed_mediation",
    "resolved_action": "closed_action",
    "referred_criminal": "closed_criminal",
    "referred_service": "closed_service",
    "not_resolved": "closed_not_resolved",
}
COUNTERS = [
    "reports", "reports_responded", "report_response_hours",
    "cases_opened", "cases_responded", "case_response_hours",
    *OUTCOME_FIELDS.values(), "resolve_n", "resolve_hours", *BUCKETS,
    "activities", "visits", "meetings",
]  # fmt: skip
FLOAT_COUNTERS = {"report_response_hours", "case_response_hours", "resolve_hours"}


class MonthlyFigures(models.Model):
    """Counts for one region prefix, one calendar month (UTC) and one category.

    level 0 is the country (prefix ""), 1-4 province .. village. A village may have one row
    per source for the same month and category (the rebuild does not merge them); readers
    always sum. Levels 0-3 have one row per key. Activities and meetings
    have no category (NULL). Report figures count by the month received; cases opened and
    response times by the month opened; outcomes and times to resolve by the month closed.
    """

    level = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=13)
    month = models.PositiveIntegerField(help_text="YYYYMM")
    category = models.ForeignKey("reports.Category", on_delete=models.DO_NOTHING, null=True,
                                 db_constraint=False, related_name="+")
    reports = models.PositiveIntegerField(default=0)
    reports_responded = models.PositiveIntegerField(default=0)
    report_response_hours = models.FloatField(default=0)
    cases_opened = models.PositiveIntegerField(default=0)
    cases_responded = models.PositiveIntegerField(default=0)
    case_response_hours = models.FloatField(default=0)
    closed_mediation = models.PositiveIntegerField(default=0)
    closed_action = models.PositiveIntegerField(default=0)
    closed_criminal = models.PositiveIntegerField(default=0)
    closed_service = models.PositiveIntegerField(default=0)
    closed_not_resolved = models.PositiveIntegerField(default=0)
    resolve_n = models.PositiveIntegerField(default=0)
    resolve_hours = models.FloatField(default=0)
    resolve_d0 = models.PositiveIntegerField(default=0)
    resolve_d1 = models.PositiveIntegerField(default=0)
    resolve_d2 = models.PositiveIntegerField(default=0)
    resolve_d3 = models.PositiveIntegerField(default=0)
    resolve_d4 = models.PositiveIntegerField(default=0)
    resolve_d5 = models.PositiveIntegerField(default=0)
    resolve_d6 = models.PositiveIntegerField(default=0)
    resolve_d7 = models.PositiveIntegerField(default=0)
    resolve_d8 = models.PositiveIntegerField(default=0)
    resolve_d9 = models.PositiveIntegerField(default=0)
    resolve_d10 = models.PositiveIntegerField(default=0)
    resolve_d11 = models.PositiveIntegerField(default=0)
    resolve_d12 = models.PositiveIntegerField(default=0)
    resolve_d13 = models.PositiveIntegerField(default=0)
    activities = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    meetings = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        indexes = [
            # A region's own rows for a year; and the children of a region for a year.
            models.Index(fields=["prefix", "month"], name="rollup_prefix_month"),
            models.Index(fields=["level", "prefix", "month"], name="rollup_level_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix or 'ID'} {self.month} {self.category_id}"


class CoverageFigures(models.Model):
    """Coverage of one region prefix as of the end of `year` (today for the current year)."""

    level = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=13)
    year = models.PositiveSmallIntegerField()
    villages = models.PositiveIntegerField(default=0)
    villages_with_officer = models.PositiveIntegerField(default=0)
    villages_with_forum = models.PositiveIntegerField(default=0)
    officers = models.PositiveIntegerField(default=0)
    forums = models.PositiveIntegerField(default=0)
    # Village rows: 2 = neither officer nor forum, 1 = one of them missing, 0 = both.
    lacks = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("coverage figures")
        verbose_name_plural = _("coverage figures")
        constraints = [
            models.UniqueConstraint(fields=["level", "year", "prefix"], name="coverage_once"),
        ]
        indexes = [
            models.Index(fields=["year", "prefix"], name="coverage_year_prefix"),
            models.Index(fields=["year", "level", "lacks", "prefix"], name="coverage_gaps"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix or 'ID'} {self.year}"


class RollupState(models.Model):
    """One row: when the rollups were last rebuilt and last touched; the lock that keeps a
    rebuild and incremental updates from interleaving."""

    built_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"rollups built {self.built_at}"


class RecountPending(models.Model):
    """A place (a village, or the region of a police unit) whose rollups a write changed, and
    that the next recount (tasks.rollups_drain_task) counts again. Writers add rows inside
    their own transaction (a rollback drops them with the write); a place waits once per
    kind, however many writes touched it. `coverage=False`: the monthly figures only (routed
    reports). `taken`: a recount has claimed it; the row goes once that recount is done, and
    a recount that died leaves it for the next one."""

    place = models.CharField(max_length=13)
    coverage = models.BooleanField(default=True)
    taken = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "coverage"], condition=models.Q(taken=False),
                                    name="recount_pending_once"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {'all' if self.coverage else 'figures'}{' taken' if self.taken else ''}"
