from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polmas.core.fields import EncryptedTextField
from polmas.regions.models import Region


class PoliceUnit(models.Model):
    """A command in the tree Mabes -> Polda -> Polres -> Polsek."""

    class Kind(models.TextChoices):
        MABES = "mabes", _("National HQ (Mabes)")
        POLDA = "polda", _("Province command (Polda)")
        POLRES = "polres", _("Regency/city command (Polres)")
        POLSEK = "polsek", _("District post (Polsek)")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    # The administrative region the unit was generated from; its jurisdiction may differ.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("home region"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("police unit")
        verbose_name_plural = _("police units")
        ordering = ["region_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="unit_one_per_kind_region"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="mabes"), name="unit_single_mabes"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def prefixes(self) -> list[str]:
        return [j.prefix for j in self.jurisdiction.all()]


class Jurisdiction(models.Model):
    """One region-code prefix a unit answers for ("" for national HQ)."""

    unit = models.ForeignKey(PoliceUnit, on_delete=models.CASCADE, related_name="jurisdiction")
    prefix = models.CharField(_("region code prefix"), max_length=13, blank=True, db_index=True)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        constraints = [
            models.UniqueConstraint(fields=["unit", "prefix"], name="jurisdiction_unique"),
        ]

    def __str__(self) -> str:
        return self.prefix or "*"


class Officer(models.Model):
    class Rank(models.TextChoices):
        BRIPDA = "bripda", "Bripda"
        BRIPTU = "briptu", "Briptu"
        BRIGPOL = "brigpol", "Brigpol"
        BRIPKA = "bripka", "Bripka"
        AIPDA = "aipda", "Aipda"
        AIPTU = "aiptu", "Aiptu"
        IPDA = "ipda", "Ipda"
        IPTU = "iptu", "Iptu"
        AKP = "akp", "AKP"
        KOMPOL = "kompol", "Kompol"
        AKBP = "akbp", "AKBP"
        KOMBES = "kombes", "Kombes Pol"
        BRIGJEN = "brigjen", "Brigjen Pol"
        IRJEN = "irjen", "Irjen Pol"

    class Function(models.TextChoices):
        BHABINKAMTIBMAS = "bhabinkamtibmas", _("Bhabinkamtibmas")
        SUPERVISOR = "supervisor", _("commander / supervisor")
        PPA = "ppa", _("women and children protection (PPA)")
        OTHER = "other", _("other")

    nrp = models.CharField(_("NRP"), max_length=8, unique=True, help_text=_("8-digit number"))
    name = models.CharField(_("name"), max_length=150)
    rank = models.CharField(_("rank"), max_length=10, choices=Rank.choices)
    unit = models.ForeignKey(
        PoliceUnit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("unit")
    )
    function = models.CharField(_("function"), max_length=16, choices=Function.choices,
                                default=Function.BHABINKAMTIBMAS)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="officer"
    )

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["name"]
        indexes = [models.Index(fields=["function", "active"])]
        constraints = [
            models.CheckConstraint(condition=Q(nrp__regex=r"^[0-9]{8}$"), name="officer_nrp_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.name} ({self.nrp})"


class Assignment(models.Model):
    """An officer posted as Bhabinkamtibmas to a village, from `start` until `end`."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="assignments")
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="region_code",
        verbose_name=_("village"),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("village assignment")
        verbose_name_plural = _("village assignments")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"], condition=Q(end__isnull=True),
                name="assignment_one_active_per_village",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="assignment_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["officer", "end"])]

    def __str__(self) -> str:
        return f"{self.officer} @ {self.village_id}"

    @property
    def active(self) -> bool:
        return self.end is None


class Training(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=150)
    provider = models.CharField(_("provider"), max_length=150, blank=True)
    completed_on = models.DateField(_("completed on"))
    certificate = models.CharField(_("certificate number"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"


class Equipment(models.Model):
    class Kind(models.TextChoices):
        MOTORBIKE = "motorbike", _("motorbike")
        CAR = "car", _("patrol car")
        PHONE = "phone", _("smartphone")
        RADIO = "radio", _("radio")
        LAPTOP = "laptop", _("laptop")
        OFFICE = "office", _("village post (office)")
        OTHER = "other", _("other")

    class Condition(models.TextChoices):
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("poor / broken")

    unit = models.ForeignKey(PoliceUnit, on_delete=models.CASCADE, related_name="equipment")
    officer = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="equipment"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=150, blank=True)
    condition = models.CharField(
        _("condition"), max_length=5, choices=Condition.choices, default=Condition.GOOD
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_condition_display()})"
