"""Targets, milestones and the planner's proposals (saved scenarios).

Region codes are Kemendagri codes: "" the country, 2 characters a province, 5 a regency.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    OFFICER_COVERAGE = "officer_coverage", _("villages with an active Bhabinkamtibmas (%)")
    FORUM_COVERAGE = "forum_coverage", _("villages with an FKPM (%)")
    RESOLVED = "resolved", _("problems resolved (%)")
    MEDIAN_DAYS = "median_days", _("median days to resolve")
    TRAINED = "trained", _("officers trained (%)")
    FEEL_SAFE = "feel_safe", _("people who feel safe (%)")
    TRUST = "trust", _("people who trust the police (%)")


# Lower is better for these; every other indicator is a percentage where higher is better.
LOWER_IS_BETTER = {Indicator.MEDIAN_DAYS}


class Target(models.Model):
    """The value an indicator should reach in a region by the end of `year`."""

    region_code = models.CharField(_("region"), max_length=5, blank=True)
    year = models.PositiveSmallIntegerField(_("target year"))
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    value = models.FloatField(_("target value"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["region_code", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "indicator", "year"], name="target_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(condition=Q(indicator="median_days") | Q(value__lte=100),
                                   name="target_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.indicator} {self.year}: {self.value}"


class Milestone(models.Model):
    class Owner(models.TextChoices):
        POLDA = "polda", _("Polda")
        POLRES = "polres", _("Polres")
        PEMDA = "pemda", _("local government (Pemda)")
        PARTNER = "partner", _("partner")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        LATE = "late", _("late")
        CANCELLED = "cancelled", _("cancelled")

    region_code = models.CharField(_("region"), max_length=13, blank=True)
    title = models.CharField(_("title"), max_length=200)
    owner = models.CharField(_("owner"), max_length=10, choices=Owner.choices)
    owner_name = models.CharField(_("owner's name"), max_length=150, blank=True)
    due = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["region_code", "due"])]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """One run of the planner over a region: its parameters, its result, and whether and
    by whom it was applied. A named proposal is a scenario."""

    region_code = models.CharField(_("region"), max_length=13, blank=True)
    name = models.CharField(_("scenario name"), max_length=120, blank=True)
    k = models.PositiveSmallIntegerField(_("villages per officer (k)"))
    d_km = models.FloatField(_("distance (km)"))
    move_penalty = models.FloatField(_("penalty per moved officer"))
    add_officers = models.PositiveIntegerField(_("new officers"), default=0)
    fingerprint = models.CharField(max_length=64)
    result = models.JSONField()
    coverage_before = models.FloatField()
    coverage_after = models.FloatField()
    greedy_coverage = models.FloatField()
    gap_max = models.FloatField()
    moved = models.PositiveIntegerField(default=0)
    need_covered = models.FloatField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("planner proposal")
        verbose_name_plural = _("planner proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=1), name="proposal_k_positive"),
            models.CheckConstraint(condition=Q(d_km__gt=0), name="proposal_d_positive"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.region_code or 'ID'} k={self.k} d={self.d_km}"
