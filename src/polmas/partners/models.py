"""Partner organisations, their agreements (MoU/PKS) with the police, joint programmes, the
activities partners record themselves, and the service directory referrals point to.

Places are Region rows (Kemendagri codes): an organisation's places are its scope."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polmas.core.fields import EncryptedTextField
from polmas.regions.models import Region

MAX_TEXT = 5000
MAX_DOCUMENT = 10 * 1024 * 1024  # bytes of a signed agreement's PDF


class Organisation(models.Model):
    """A partner organisation. Its staff are the users holding the partner role whose
    RoleGrant.organisation names it (the login the platform already had)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("village or regional government (Pemda/Pemdes)")
        NGO = "ngo", _("NGO")
        UNIVERSITY = "university", _("university")
        BUSINESS = "business", _("business")
        RELIGIOUS = "religious", _("religious or customary institution")
        MEDIA = "media", _("media")
        AGENCY = "agency", _("another agency")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    website = models.URLField(_("website"), blank=True)
    places = models.ManyToManyField(Region, related_name="+", verbose_name=_("places"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A contact person of an organisation; name, phone and e-mail encrypted at rest."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = EncryptedTextField(_("name"))
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.position}"


class Agreement(models.Model):
    """An MoU or PKS between the police and a partner. A renewal is a new row naming the one
    it renews (`renews`), which is kept as it was: the chain is the history."""

    class Kind(models.TextChoices):
        MOU = "mou", _("memorandum of understanding (MoU)")
        PKS = "pks", _("cooperation agreement (PKS)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("in force")
        RENEWED = "renewed", _("renewed")
        ENDED = "ended", _("ended")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements",
                                     verbose_name=_("partner"))
    kind = models.CharField(_("type"), max_length=3, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    police_party = models.CharField(_("police party"), max_length=150)
    other_parties = models.CharField(_("other parties"), max_length=500, blank=True)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    places = models.ManyToManyField(Region, related_name="+", verbose_name=_("places"))
    police_commitments = models.TextField(_("what the police commit to"), max_length=MAX_TEXT)
    partner_commitments = models.TextField(_("what the partner commits to"), max_length=MAX_TEXT)
    # Stored privately (MEDIA_ROOT is never served); only the permission-checked view sends it.
    document = models.FileField(_("signed document"), upload_to="agreements/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    renews = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="renewal", verbose_name=_("renews"))
    # Who is told before it expires.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["status", "ends_on"], name="agreement_status_end")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="agreement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class AgreementAlert(models.Model):
    """An alert raised about an agreement; one per kind, so a re-run raises nothing twice."""

    class Kind(models.TextChoices):
        EXPIRY = "expiry", _("expires within 60 days")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "kind"], name="agreement_alert_once")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.kind}"


class Programme(models.Model):
    """A joint programme: objectives, places and a period; its indicator compares its
    villages with comparison villages."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes",
                                     verbose_name=_("partner"))
    agreement = models.ForeignKey(Agreement, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="programmes", verbose_name=_("agreement"))
    name = models.CharField(_("name"), max_length=200)
    objectives = models.TextField(_("objectives"), max_length=MAX_TEXT)
    places = models.ManyToManyField(Region, related_name="+", verbose_name=_("places"))
    comparison = models.ManyToManyField(Region, related_name="+", blank=True,
                                        verbose_name=_("comparison villages"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="programme_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeLink(models.Model):
    """A record of another room (activity, meeting, case, referral) counted in a programme.
    By kind and id: partners sits below those rooms and never reads their tables."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activity")
        MEETING = "meeting", _("meeting")
        CASE = "case", _("case")
        REFERRAL = "referral", _("referral")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "kind", "object_id"],
                                               name="programme_link_once")]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.kind}:{self.object_id}"


class PartnerActivity(models.Model):
    """Something a partner's staff did within a programme's places."""

    class Kind(models.TextChoices):
        OUTREACH = "outreach", _("outreach")
        TRAINING = "training", _("training")
        ASSISTANCE = "assistance", _("victim assistance")
        PATROL = "patrol", _("joint patrol")
        OTHER = "other", _("other")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="activities")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("village"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    summary = models.TextField(_("summary"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("partner activity")
        verbose_name_plural = _("partner activities")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["village"], name="partner_activity_region")]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.kind} {self.village_id}"


class Service(models.Model):
    """A service a case can be referred to, in the region it serves (a province, regency or
    district code: it serves every village below)."""

    class Kind(models.TextChoices):
        UPTD_PPA = "uptd_ppa", _("UPTD PPA (women and children protection service)")
        SHELTER = "shelter", _("shelter")
        HEALTH = "health", _("health centre")
        LEGAL_AID = "legal_aid", _("legal aid")
        SOCIAL = "social", _("social services")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("serves"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    # Shown to residents on /lapor/ (a shelter's address, for one, is not).
    public = models.BooleanField(_("public"), default=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="services", verbose_name=_("run by"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["region_id", "kind", "name"]
        indexes = [models.Index(fields=["region", "kind"], name="service_region_kind")]

    def __str__(self) -> str:
        return self.name


class PartnerReport(models.Model):
    """A report of suspected trafficking or exploitation filed by a partner's staff through
    the intake (sealed, routed to PPA). The organisation sees its status, never its content."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.report_id}"
