from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polmas.core.fields import EncryptedTextField
from polmas.policing.models import PoliceUnit
from polmas.regions.models import Region


class Forum(models.Model):
    """An FKPM (police-community forum), or a customary institution standing in for one."""

    class Model(models.TextChoices):
        AREA = "area", _("area (village or neighbourhood)")
        ZONE = "zone", _("zone (market, industrial estate, campus)")
        CUSTOMARY = "customary", _("customary institution")

    class ZoneKind(models.TextChoices):
        NONE = "", _("not a zone forum")
        MARKET = "market", _("market")
        INDUSTRIAL = "industrial", _("industrial estate")
        CAMPUS = "campus", _("campus")
        OTHER = "other", _("other zone")

    class Status(models.TextChoices):
        FORMING = "forming", _("being formed")
        ACTIVE = "active", _("active")
        DORMANT = "dormant", _("dormant")
        DISSOLVED = "dissolved", _("dissolved")

    name = models.CharField(_("name"), max_length=150)
    model = models.CharField(_("model"), max_length=10, choices=Model.choices, default=Model.AREA)
    zone_kind = models.CharField(
        _("zone kind"), max_length=10, choices=ZoneKind.choices, default="", blank=True
    )
    local_name = models.CharField(
        _("local name"), max_length=100, blank=True,
        help_text=_("Name of the customary institution, e.g. pecalang"),
    )
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", db_column="region_code",
        verbose_name=_("village"),
    )
    unit = models.ForeignKey(
        PoliceUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="forums",
        verbose_name=_("supporting police unit"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting hall (BKPM)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["village_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="forum_unique_name_in_village"),
            models.CheckConstraint(
                condition=Q(model="zone", zone_kind__gt="") | (~Q(model="zone") & Q(zone_kind="")),
                name="forum_zone_kind_only_for_zone",
            ),
            models.CheckConstraint(
                condition=~Q(model="customary") | Q(local_name__gt=""),
                name="forum_customary_has_local_name",
            ),
        ]
        indexes = [models.Index(fields=["village", "status"])]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice chair")
        SECRETARY = "secretary", _("secretary")
        TREASURER = "treasurer", _("treasurer")
        MEMBER = "member", _("member")
        ADVISER = "adviser", _("adviser")

    class Group(models.TextChoices):
        RELIGIOUS = "religious", _("religious leader")
        CUSTOMARY = "customary", _("customary leader")
        YOUTH = "youth", _("youth")
        WOMEN = "women", _("women")
        BUSINESS = "business", _("business")
        VILLAGE_GOVERNMENT = "village_gov", _("village government")
        OTHER = "other", _("other")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role in the forum"), max_length=12, choices=Role.choices,
                            default=Role.MEMBER)
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    user = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="forum_memberships"
    )

    class Meta:
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        ordering = ["forum", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="member_unique_name_in_forum"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"
