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


class Meeting(models.Model):
    """A forum meeting: agenda, attendance, minutes, decisions, action items and issues raised.

    `village` is copied from the forum when the meeting is created, so that rollups and scope
    filters read the meeting table alone (a range on region_code, no join).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings",
                              verbose_name=_("forum"))
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                db_column="region_code", verbose_name=_("village"))
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.PLANNED)
    # Residents and guests who are not members, counted by gender (no names).
    others_men = models.PositiveIntegerField(_("other men present"), default=0)
    others_women = models.PositiveIntegerField(_("other women present"), default=0)
    others_unspecified = models.PositiveIntegerField(_("others present, gender not recorded"),
                                                     default=0)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("forum meeting")
        verbose_name_plural = _("forum meetings")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["planned", "held"]),
                                   name="meeting_status_valid"),
            models.CheckConstraint(condition=Q(agenda__gt=""), name="meeting_has_agenda"),
        ]
        indexes = [
            models.Index(fields=["village", "held_at"]),
            models.Index(fields=["forum", "held_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.forum} {self.held_at:%Y-%m-%d}"

    @property
    def others_total(self) -> int:
        return self.others_men + self.others_women + self.others_unspecified


class Attendance(models.Model):
    """Whether a forum member attended a meeting (members are recorded by name)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance",
                               verbose_name=_("member"))
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member.name}: {'present' if self.present else 'absent'}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(text__gt=""), name="decision_has_text")]

    def __str__(self) -> str:
        return self.text[:60]


class MeetingActionItem(models.Model):
    """Something the meeting agreed to do: every action has an owner (a name) and a status."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.TextField(_("action"), max_length=2000)
    owner_name = models.CharField(_("owner"), max_length=150)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(owner_name__gt=""), name="action_item_has_owner"),
            models.CheckConstraint(condition=Q(description__gt=""), name="action_item_has_text"),
            models.CheckConstraint(condition=Q(status__in=["open", "in_progress", "done", "dropped"]),
                                   name="action_item_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.description[:50]} ({self.owner_name})"


class CaseStage(models.TextChoices):
    """Where a case stands, as the forum's public page says it while the case is handled."""

    SCANNING = "scanning", _("the problem is being looked into")
    ANALYSIS = "analysis", _("its causes are being analysed")
    RESPONSE = "response", _("the agreed response is under way")
    ASSESSMENT = "assessment", _("the results are being checked")
    CLOSED = "closed", _("closed")


class MeetingIssue(models.Model):
    """An issue residents raised at a meeting, tracked until it has a public outcome.

    The category is kept as the code of a `reports.Category` (`category_code`), not a foreign
    key: forums sits below reports (ARCHITECTURE.md) and may not import it. Services validate
    the code against the catalogue, read through the app registry (as access.scope does for
    forums). A sensitive category makes the issue sensitive.

    The cases app (which sits above forums) links a case with `services.meeting_issue_link_case`
    and publishes outcomes with `services.meeting_issue_outcome_set`; forums never imports cases,
    so `case_id` is a plain integer. The text and the resident's name are encrypted at rest.
    """

    class OutcomeStatus(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("being handled")
        RESOLVED = "resolved", _("resolved")
        REFERRED = "referred", _("referred")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="issues")
    text = EncryptedTextField(_("issue"))
    category_code = models.CharField(_("category"), max_length=40, blank=True)
    raised_by = EncryptedTextField(_("raised by"), blank=True)
    sensitive = models.BooleanField(_("sensitive"), default=False)
    case_id = models.PositiveIntegerField(_("case"), null=True, blank=True, db_index=True)
    outcome_public = models.TextField(_("public outcome"), max_length=1000, blank=True)
    outcome_status = models.CharField(_("outcome status"), max_length=12,
                                      choices=OutcomeStatus.choices, default=OutcomeStatus.OPEN)
    outcome_at = models.DateTimeField(_("outcome updated at"), null=True, blank=True)
    case_stage = models.CharField(_("stage of its case"), max_length=12, choices=CaseStage.choices,
                                  blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issue raised at a meeting")
        verbose_name_plural = _("issues raised at meetings")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome_status__in=["open", "in_progress", "resolved", "referred"]),
                name="meeting_issue_outcome_status_valid",
            ),
            # The forum and the public learn only that a sensitive matter is being handled.
            models.CheckConstraint(condition=Q(sensitive=False) | Q(outcome_public=""),
                                   name="meeting_issue_sensitive_no_public_outcome"),
        ]

    def __str__(self) -> str:
        return f"issue #{self.pk} ({self.meeting_id})"


class PublishedCase(models.Model):
    """A case opened from residents' reports, as its village forum's public page ("you said,
    we did") shows it beside the issues raised at meetings.

    Written only by `services.case_progress_publish`, which the cases app calls at each stage
    (forums sits below cases, so `case_id` is a plain integer). `said` is the reports' public
    text, scrubbed of contacts and names. A sensitive case never has a row: one that turns out
    sensitive has its row removed."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="published_cases")
    case_id = models.PositiveIntegerField(_("case"), unique=True)
    category_code = models.CharField(_("category"), max_length=40, blank=True)
    said = models.TextField(_("what residents reported"), max_length=1000, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=CaseStage.choices)
    outcome_status = models.CharField(_("outcome status"), max_length=12,
                                      choices=MeetingIssue.OutcomeStatus.choices,
                                      default=MeetingIssue.OutcomeStatus.IN_PROGRESS)
    outcome_public = models.TextField(_("public outcome"), max_length=1000, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    outcome_at = models.DateTimeField(_("outcome updated at"))

    class Meta:
        verbose_name = _("case shown on a forum's public page")
        verbose_name_plural = _("cases shown on forums' public pages")
        ordering = ["-opened_at", "pk"]
        indexes = [models.Index(fields=["forum", "-opened_at"], name="published_case_forum")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome_status__in=["open", "in_progress", "resolved", "referred"]),
                name="published_case_outcome_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} on forum {self.forum_id}"
