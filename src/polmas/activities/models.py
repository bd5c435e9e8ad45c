"""Officer activities (visits, detection, patrols, outreach, coordination), rotating security
rosters (ronda/siskamling, post-disaster pengamanan bergilir) and disaster mode."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from polmas.core.fields import EncryptedTextField
from polmas.policing.models import Officer
from polmas.regions.models import Region

MAX_TEXT = 5000
ALL_WEEKDAYS = "0123456"  # Monday = 0, as datetime.date.weekday()


class Activity(models.Model):
    """One piece of a Bhabinkamtibmas's field work, sent once per client UUID."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("household visit (sambang/DDS)")
        DETECTION = "detection", _("early-detection information report")
        PATROL = "patrol", _("patrol")
        OUTREACH = "outreach", _("outreach (penyuluhan)")
        COORDINATION = "coordination", _("coordination with village government")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                db_column="region_code", verbose_name=_("village"))
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="activities",
                                verbose_name=_("officer"))
    occurred_at = models.DateTimeField(_("when"))
    households = models.PositiveIntegerField(_("households visited"), null=True, blank=True)
    issues_heard = models.TextField(_("issues heard"), max_length=MAX_TEXT, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    audience = models.PositiveIntegerField(_("audience size"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=MAX_TEXT, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Cleaned by core.photos and stored under a random name; served only through the
    # scope-checked activities:photo view, never from a public media URL.
    # db_default: the simulation's bulk writer (simulation/activities.py) names its columns.
    photo = models.ImageField(_("photo"), upload_to="activities/%Y/%m/", blank=True, db_default="")
    client_uuid = models.UUIDField(_("client UUID"), unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["village", "occurred_at"], name="activity_village_time"),
            models.Index(fields=["occurred_at"], name="activity_time"),
            models.Index(fields=["officer", "occurred_at"], name="activity_officer_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="visit") | Q(households__gte=1),
                                   name="activity_visit_households"),
            models.CheckConstraint(
                condition=~Q(kind="outreach") | (Q(audience__gte=1) & ~Q(topic="")),
                name="activity_outreach_topic_audience",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-11.5, latitude__lte=6.5, longitude__gte=94.5, longitude__lte=141.5)),
                name="activity_location_in_indonesia",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.village_id} {self.occurred_at:%Y-%m-%d}"


class DisasterMode(models.Model):
    """A village or district under post-disaster security: more cover, looting reports first."""

    class Kind(models.TextChoices):
        EARTHQUAKE = "earthquake", _("earthquake")
        FLOOD = "flood", _("flood")
        LANDSLIDE = "landslide", _("landslide")
        VOLCANO = "volcano", _("volcanic eruption")
        TSUNAMI = "tsunami", _("tsunami")
        FIRE = "fire", _("fire")
        OTHER = "other", _("other")

    prefix = models.CharField(_("village or district code"), max_length=13, db_index=True)
    kind = models.CharField(_("kind of disaster"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")

    class Meta:
        verbose_name = _("disaster mode")
        verbose_name_plural = _("disaster modes")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["prefix"], condition=Q(ended_at__isnull=True),
                                    name="disaster_one_active_per_prefix"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                                   name="disaster_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.prefix}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class Roster(models.Model):
    """A rotation of volunteers over posts and nights in one village."""

    class Kind(models.TextChoices):
        RONDA = "ronda", _("night watch (ronda/siskamling)")
        DISASTER = "disaster", _("post-disaster rotating security")

    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                db_column="region_code", verbose_name=_("village"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RONDA)
    name = models.CharField(_("name"), max_length=150)
    start = models.DateField(_("first night"))
    nights = models.PositiveSmallIntegerField(_("number of nights"))
    weekdays = models.CharField(_("nights of the week"), max_length=7, default=ALL_WEEKDAYS,
                                help_text=_("Weekday numbers, Monday = 0"))
    per_post = models.PositiveSmallIntegerField(_("volunteers per post per night"), default=2)
    max_per_week = models.PositiveSmallIntegerField(_("most shifts per volunteer per week"), default=2)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The cover the last generation used and the post-nights it could not fill.
    cover = models.PositiveSmallIntegerField(default=0, editable=False)
    raised = models.BooleanField(_("raised cover (disaster mode)"), default=False, editable=False)
    shortages = models.JSONField(default=list, blank=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["village", "start"], name="roster_village_start")]
        constraints = [
            models.CheckConstraint(condition=Q(per_post__gte=2), name="roster_never_alone"),
            models.CheckConstraint(condition=Q(nights__gte=1, nights__lte=92), name="roster_nights_range"),
            models.CheckConstraint(condition=Q(max_per_week__gte=1, max_per_week__lte=7),
                                   name="roster_max_per_week_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.village_id})"


class Post(models.Model):
    """A guard post (pos kamling) of a roster."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="posts")
    name = models.CharField(_("post"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["roster", "name"], name="post_unique_name")]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A resident on the roster; the phone number is encrypted at rest."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="volunteers")
    name = models.CharField(_("name"), max_length=150)
    phone = EncryptedTextField(_("phone"), blank=True)
    available = models.CharField(_("available nights"), max_length=7, default=ALL_WEEKDAYS,
                                 help_text=_("Weekday numbers, Monday = 0"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """One post on one night."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="shifts")
    night = models.DateField(_("night"))
    needed = models.PositiveSmallIntegerField(_("volunteers needed"))
    volunteers = models.ManyToManyField(Volunteer, through="ShiftVolunteer", related_name="shifts")

    class Meta:
        ordering = ["night", "post__order", "post_id"]
        constraints = [models.UniqueConstraint(fields=["post", "night"], name="shift_one_per_post_night")]

    def __str__(self) -> str:
        return f"{self.post} {self.night}"


class ShiftVolunteer(models.Model):
    """A volunteer on a shift, and when they checked in."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="places")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="places")
    night = models.DateField()  # the shift's night, so one volunteer holds one post a night
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")

    class Meta:
        ordering = ["shift_id", "volunteer__order", "volunteer_id"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "night"], name="volunteer_one_post_a_night"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.shift}"


class Swap(models.Model):
    """Two volunteers exchanged their shifts."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="swaps")
    first = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+")
    first_shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="+")
    second_shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.first} <-> {self.second}"
