from django.db import models
from django.utils.translation import gettext_lazy as _

from polmas.regions import codes


class RegionQuerySet(models.QuerySet["Region"]):
    def under(self, prefix: str) -> "RegionQuerySet":
        """Regions below `prefix` (and the region itself), as an index range."""
        return self.filter(code__gte=prefix, code__lt=prefix + "/")

    def villages(self) -> "RegionQuerySet":
        return self.filter(level=codes.VILLAGE)


class Region(models.Model):
    """A province, regency/city, district or village, keyed by its Kemendagri code."""

    class Level(models.IntegerChoices):
        PROVINCE = codes.PROVINCE, _("province")
        REGENCY = codes.REGENCY, _("regency/city")
        DISTRICT = codes.DISTRICT, _("district")
        VILLAGE = codes.VILLAGE, _("village")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Grid cell of 0.1 degree for nearest-village lookups; see selectors.nearest_village.
    cell = models.IntegerField(null=True, blank=True, db_index=True, editable=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    utc_offset = models.PositiveSmallIntegerField(_("UTC offset (hours)"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="region_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_village(self) -> bool:
        return self.level == codes.VILLAGE
