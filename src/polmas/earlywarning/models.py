from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polmas.earlywarning.groups import GROUPS, LABELS
from polmas.regions.models import Region

GROUP_CHOICES = [(g, LABELS[g]) for g in GROUPS]


class WeeklyCount(models.Model):
    """Reports received in one place (a village, or a district for sensitive matters), one
    category group and one week (its Monday, UTC). Rebuilt from the reports (counts.py)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_column="region_code",
                               db_index=False)
    group = models.CharField(max_length=12, choices=GROUP_CHOICES)
    week = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "group", "week"], name="weeklycount_unique")]
        indexes = [models.Index(fields=["week", "group"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.group} {self.week}: {self.count}"


class Alarm(models.Model):
    """A rising count found by a detector: where, which group, which week, observed against
    expected. Its status and outcome are kept, so false alarms in use can be counted."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("new")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        DISMISSED = "dismissed", _("dismissed")
        CASE = "case", _("turned into a case")

    class Detector(models.TextChoices):
        # The weekly run's village groups use SCAN (detectors.combined); NEGBIN and
        # NEIGHBOURHOOD name the alarms of the detector it replaced, kept as they were raised.
        SCAN = "scan", _("villages alone or with their neighbours above their seasonal baseline "
                         "(space-time scan)")
        NEGBIN = "negbin", _("village above its seasonal baseline")
        NEIGHBOURHOOD = "neighbourhood", _("neighbouring villages together above their baseline")
        DISTRICT = "district", _("district above its seasonal baseline")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_column="region_code",
                               verbose_name=_("place"), db_index=False)
    group = models.CharField(_("category group"), max_length=12, choices=GROUP_CHOICES)
    week = models.DateField(_("week"))
    weeks = models.PositiveSmallIntegerField(_("weeks counted"), default=1)
    villages = models.JSONField(_("villages"), default=list, blank=True)
    observed = models.PositiveIntegerField(_("observed"))
    expected = models.FloatField(_("expected"))
    detector = models.CharField(_("detector"), max_length=16, choices=Detector.choices)
    top_category = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    class Outcome(models.TextChoices):
        OPEN = "open", _("not yet judged")
        CONFIRMED = "confirmed", _("a real problem")
        FALSE_ALARM = "false_alarm", _("false alarm")

    reason = models.TextField(_("reason"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    acted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    acted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-week", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "group", "week"], name="alarm_once_per_week"),
            models.CheckConstraint(condition=~Q(status="dismissed") | ~Q(reason=""),
                                   name="alarm_dismissed_has_reason"),
        ]
        indexes = [models.Index(fields=["region", "week"]), models.Index(fields=["status", "week"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.group} {self.week}"
