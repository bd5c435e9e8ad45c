"""Problem-solving cases (SARA: scanning, analysis, response, assessment), their actions,
timeline, mediations, referrals, and the protection records of sealed sensitive cases."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polmas.core.fields import EncryptedJSONField, EncryptedTextField
from polmas.policing.models import Officer, PoliceUnit
from polmas.regions.models import Region
from polmas.reports.models import Category, Report

MAX_TEXT = 5000


class Case(models.Model):
    class Source(models.TextChoices):
        REPORT = "report", _("community report")
        MEETING = "meeting", _("issue raised at an FKPM meeting")
        DETECTION = "detection", _("officer's early detection")

    class Stage(models.TextChoices):
        SCANNING = "scanning", _("scanning")
        ANALYSIS = "analysis", _("analysis")
        RESPONSE = "response", _("response")
        ASSESSMENT = "assessment", _("assessment")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        RESOLVED_MEDIATION = "resolved_mediation", _("resolved by mediation")
        RESOLVED_ACTION = "resolved_action", _("resolved by action")
        REFERRED_CRIMINAL = "referred_criminal", _("referred to criminal investigation")
        REFERRED_SERVICE = "referred_service", _("referred to a service")
        NOT_RESOLVED = "not_resolved", _("not resolved")

    RESOLVED = (Outcome.RESOLVED_MEDIATION, Outcome.RESOLVED_ACTION)
    OPEN_STAGES = (Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT)

    # Indexed by `case_region` (Meta.indexes): no second, identical index of its own.
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                db_column="region_code", verbose_name=_("village"), db_index=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("category"))
    # What people wrote about a case (its narrative here, and its actions, timeline, mediation
    # terms, referral notes and risk answers below) is encrypted at rest in every case, not only
    # in sealed ones: a case may be found sensitive later, and a column that is plain in some
    # rows would leak what was written before. None of it is searched, filtered or ordered on.
    title = EncryptedTextField(_("title"), max_length=200)
    # Scanning
    statement = EncryptedTextField(_("problem statement"), max_length=MAX_TEXT)
    incidents_note = EncryptedTextField(_("linked incidents"), max_length=MAX_TEXT, blank=True,
                                        help_text=_("Incidents that make up the problem, when no "
                                                    "report is linked"))
    recurring = models.BooleanField(_("recurring"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices,
                             default=Stage.SCANNING)
    sensitive = models.BooleanField(_("sensitive"), default=False, editable=False)
    # Analysis: the problem triangle, validated by the service:
    # {"victim", "guardian", "offender", "handler", "place", "manager"} -> text.
    triangle = EncryptedJSONField(_("problem triangle"), default=dict, blank=True)
    causes = EncryptedTextField(_("causes"), max_length=MAX_TEXT, blank=True)
    community_input = EncryptedTextField(_("community input"), max_length=MAX_TEXT, blank=True)
    # Response
    plan = EncryptedTextField(_("response plan"), max_length=MAX_TEXT, blank=True)
    # Assessment
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    evidence = EncryptedTextField(_("evidence"), max_length=MAX_TEXT, blank=True)
    community_satisfied = models.BooleanField(_("community satisfied"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    public_summary = models.CharField(_("public summary"), max_length=500, blank=True)
    # Identities in sealed cases, encrypted at rest.
    victim_name = EncryptedTextField(_("victim name"), blank=True)
    victim_contact = EncryptedTextField(_("victim contact"), blank=True)
    reporter_name = EncryptedTextField(_("reporter name"), blank=True)
    reporter_contact = EncryptedTextField(_("reporter contact"), blank=True)

    assigned_officer = models.ForeignKey(Officer, on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="cases",
                                         verbose_name=_("assigned officer"))
    unit = models.ForeignKey(PoliceUnit, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="cases", verbose_name=_("responsible Polsek"))
    reports = models.ManyToManyField(Report, through="CaseReport", related_name="+",
                                     verbose_name=_("reports"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["village"], name="case_region"),
            models.Index(fields=["stage", "last_activity_at"], name="case_stage_activity"),
            # The most overdue open cases of a province or regency (analytics.dashboard): per
            # stage, only that region's cases, then the oldest; the index above serves the country.
            models.Index(fields=["stage", "village", "last_activity_at"], name="case_stage_region_activity"),
            models.Index(fields=["closed_at"], name="case_closed_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="closed") | (~Q(outcome="") & Q(closed_at__isnull=False)),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id} {self.village_id}"

    @property
    def number(self) -> str:
        return f"K-{self.opened_at:%Y}-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.stage != self.Stage.CLOSED


class CaseReport(models.Model):
    """A report that is part of a case; reports never know about cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_reports")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "report"], name="case_report_once")]

    def __str__(self) -> str:
        return f"{self.case_id} <- {self.report_id}"


class Action(models.Model):
    """One step of the response plan, owned by someone, due by a date."""

    class OwnerKind(models.TextChoices):
        OFFICER = "officer", _("officer")
        FKPM_MEMBER = "fkpm_member", _("FKPM member")
        PARTNER = "partner", _("partner")
        VILLAGE_GOVERNMENT = "village_government", _("village government")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("description"), max_length=500)
    owner_kind = models.CharField(_("owner kind"), max_length=20, choices=OwnerKind.choices)
    owner_name = EncryptedTextField(_("owner"), max_length=150)
    due = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PLANNED)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # The day its officer was last told it is due (cases.notifications.followups_remind).
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"], name="action_status_due")]
        constraints = [
            # An encrypted column holds "" only for an empty value (see EncryptedTextField).
            models.CheckConstraint(condition=~Q(owner_name=""), name="action_has_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.description[:40]} ({self.owner_name}, {self.due})"


class TimelineEntry(models.Model):
    """One change of a case: every service writes one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=30)
    note = EncryptedTextField(blank=True)
    # What the entry is about, as codes and values rather than words (an action's description,
    # its old and new status, the outcome...): its sentence is written in the reader's language
    # when shown (timeline.py). Encrypted: an action's description is a case's narrative.
    facts = EncryptedJSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Mediation(models.Model):
    """A restorative settlement: who mediated, what the parties agreed, when and where."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediations")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    mediator_officer = models.ForeignKey(Officer, on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+",
                                         verbose_name=_("mediating officer"))
    fkpm_mediators = models.JSONField(_("FKPM mediators"), default=list, blank=True)
    terms = EncryptedTextField(_("agreed terms"), max_length=MAX_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class MediationParty(models.Model):
    class Side(models.TextChoices):
        FIRST = "first", _("first party")
        SECOND = "second", _("second party")

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    name = EncryptedTextField(_("name"))
    address = EncryptedTextField(_("address"), blank=True)

    class Meta:
        ordering = ["side", "pk"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.side}"


class Referral(models.Model):
    class To(models.TextChoices):
        RESKRIM = "reskrim", _("criminal investigation (Reskrim)")
        PPA_UNIT = "ppa_unit", _("PPA unit")
        UPTD_PPA = "uptd_ppa", _("UPTD PPA (women and children protection service)")
        SOCIAL_SERVICES = "social_services", _("social services")
        HEALTH = "health", _("health services")
        VILLAGE_GOVERNMENT = "village_government", _("village government")

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to = models.CharField(_("referred to"), max_length=20, choices=To.choices)
    # The listed service (partners' directory) it went to; completion is measured per service.
    service = models.ForeignKey("partners.Service", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("service"))
    note = EncryptedTextField(_("note"), max_length=MAX_TEXT, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.SENT)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    answer_note = EncryptedTextField(_("answer"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["status", "sent_at"], name="referral_status_sent")]

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.to} ({self.status})"


class SafetyPlan(models.Model):
    """How a victim in a sealed case stays safe: all of it encrypted at rest."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    safe_place = EncryptedTextField(_("safe place"), blank=True)
    trusted_contacts = EncryptedTextField(_("trusted contacts"), blank=True)
    steps = EncryptedTextField(_("steps"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"{self.case_id}"


class RiskAssessment(models.Model):
    """A domestic-violence risk checklist as filled in on one day (answers by question key)."""

    class Level(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    answers = EncryptedJSONField(default=dict)
    score = models.PositiveSmallIntegerField(default=0)
    level = models.CharField(_("risk level"), max_length=6, choices=Level.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}"
