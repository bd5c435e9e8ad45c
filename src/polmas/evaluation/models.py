"""Interventions (where and from when a programme ran) and the evaluation runs saved on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    REPORTS = "reports", _("reports, all categories")
    REPORTS_PROPERTY = "reports_property", _("reports of property crime")
    REPORTS_VIOLENCE = "reports_violence", _("reports of violence")
    REPORTS_DISORDER = "reports_disorder", _("reports of disorder and disputes")
    REPORTS_SENSITIVE = "reports_sensitive", _("reports in sensitive categories")
    CASES_OPENED = "cases_opened", _("cases opened")
    CASES_RESOLVED = "cases_resolved", _("cases resolved")
    DAYS_TO_RESOLVE = "days_to_resolve", _("days to resolve a case (median)")
    # Survey indicators (evaluation.survey): regency level, by survey wave, not monthly.
    FEEL_SAFE = "feel_safe", _("feeling safe (survey, regency level, percent)")
    TRUST_POLICE = "trust_police", _("trust in the police (survey, regency level, percent)")


class Pool(models.TextChoices):
    NEVER = "never", _("never-treated places")
    NOT_YET = "not_yet", _("not-yet-treated places")


class Intervention(models.Model):
    """A programme in some places, each with its own start (staggered roll-out).

    ``source`` says whether a planner recorded it, the platform derived it from its own records
    (first Bhabinkamtibmas posting, FKPM founding), or the simulation planted it with a known
    effect (``planted_pct``, the truth the evaluation must find)."""

    class Source(models.TextChoices):
        RECORDED = "recorded", _("recorded by a planner")
        DERIVED = "derived", _("derived from the platform's records")
        PLANTED = "planted", _("planted by the simulation")

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.RECORDED)
    planted_pct = models.FloatField(_("planted effect (percent)"), null=True, blank=True)
    # A partner programme names its own comparison villages (region codes): when given, the
    # comparison pool is those places only. `ends` closes the default period.
    comparison = models.JSONField(_("comparison places"), default=list, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=["recorded", "derived", "planted"]),
                                   name="intervention_source_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class InterventionPlace(models.Model):
    """One place of an intervention (a region code, usually a village) and its start."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE,
                                     related_name="places")
    region_code = models.CharField(_("region code"), max_length=13)
    start = models.DateField(_("start"))

    class Meta:
        verbose_name = _("intervention place")
        verbose_name_plural = _("intervention places")
        ordering = ["intervention", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "region_code"],
                                    name="intervention_place_once"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id}:{self.region_code}@{self.start}"


class EvaluationRun(models.Model):
    """One evaluation as it was computed: its parameters, the libraries' versions, a hash of
    the panel it read, and the result (JSON), so that it can be rerun and checked."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE,
                                     related_name="runs")
    outcome = models.CharField(_("outcome"), max_length=40)
    pool = models.CharField(_("comparison pool"), max_length=10)
    period_from = models.PositiveIntegerField(help_text="YYYYMM")
    period_to = models.PositiveIntegerField(help_text="YYYYMM")
    parameters = models.JSONField(default=dict)
    versions = models.JSONField(default=dict)
    data_hash = models.CharField(max_length=64)
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.intervention_id}"
