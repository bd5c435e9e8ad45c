from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polmas.core.fields import EncryptedTextField
from polmas.forums.models import Forum
from polmas.policing.models import Officer, PoliceUnit
from polmas.regions.models import Region

MAX_TEXT = 5000


class Category(models.Model):
    """A kamtibmas problem type: the service catalogue (Open311 services)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = models.CharField(
        _("SMS keywords"), max_length=200, blank=True,
        help_text=_("Comma-separated words a resident may text, e.g. curi, maling"),
    )
    sensitive = models.BooleanField(
        _("sensitive"), default=False,
        help_text=_("Domestic violence, sexual violence, children, trafficking: sealed, never published"),
    )
    mediable = models.BooleanField(_("may be mediated"), default=True)
    group = models.CharField(_("group"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(sensitive=True, mediable=True),
                                   name="category_sensitive_not_mediable"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "id").startswith("en") else self.description_id

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


# Where a tracking code goes in a stored message. Message bodies are kept in plain text (they
# are read and retried), so the code itself is stored encrypted beside them (`secret`) and put
# into the text only when it is sent or answered (messaging.py).
CODE_SLOT = "[[kode]]"


def code_filled(body: str, secret: str) -> str:
    return body.replace(CODE_SLOT, secret) if CODE_SLOT in body else body


# The reports a new one may repeat (dedupe.py); lookups.py spells the same condition in SQL.
ORIGINALS = Q(duplicate_of__isnull=True, likely_duplicate_of__isnull=True, spam=False)


class Report(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("web form")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        OFFICER = "officer", _("recorded by an officer")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_PROGRESS = "in_progress", _("being handled")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed without action")

    # No index of their own on category, village and client_key: the composite indexes below
    # start with each of them, and every index is one more write per report received.
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("category"), db_index=False)
    # What happened, in the resident's words: names, addresses, what was done to whom. Encrypted
    # at rest as the reporter's identity and a case's narrative are (ADR 18).
    description = EncryptedTextField(_("what happened"), max_length=MAX_TEXT)
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                db_column="region_code", verbose_name=_("village"), db_index=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.RECEIVED)
    public_summary = models.CharField(_("public summary"), max_length=500, blank=True)
    sensitive = models.BooleanField(_("sensitive"), default=False, editable=False)
    # The tracking code is shown once to the reporter; only its SHA-256 is kept.
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    reporter_name = EncryptedTextField(_("reporter name"), blank=True)
    reporter_phone = EncryptedTextField(_("reporter phone"), blank=True)
    reporter_email = EncryptedTextField(_("reporter email"), blank=True)
    reply_channel = models.CharField(_("reply channel"), max_length=10, blank=True,
                                     help_text=_("sms, whatsapp or email; empty for none"))
    photo = models.ImageField(_("photo"), upload_to="reports/%Y/%m/", blank=True)
    coverage_gap = models.BooleanField(_("no Bhabinkamtibmas posted"), default=False)
    # These three are empty for most reports: their indexes hold only the rows that have one
    # (see Meta), so a report received writes three index entries fewer.
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("duplicate of"),
                                     db_index=False)
    # Offered to the officer as a likely duplicate; merging is their decision.
    likely_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("likely duplicate of"), db_index=False,
    )
    hidden = models.BooleanField(_("text hidden by moderation"), default=False)
    # Its text tells of a sealed matter (core.scrub.sensitive_text) though filed under an
    # ordinary category: kept out of every public answer until a moderator releases it.
    held = models.BooleanField(_("held for moderation"), default=False)
    spam = models.BooleanField(_("spam"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+", db_index=False)
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Intake stores a report and answers; routing (inboxes, coverage gap, the "received"
    # event, the audit entry, the rollups) follows in batches (routing.py, ADR 11).
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["village", "created_at"]),
            models.Index(fields=["category", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            # The hourly limit counts a client's recent reports on every anonymous intake.
            models.Index(fields=["client_key", "created_at"]),
            # Likely duplicates (dedupe.py) are looked for among the reports that could be an
            # original: neither merged, flagged as a likely duplicate nor spam. Those are few
            # per category and place however many reports come in, and these indexes answer
            # both questions from their own entries: a narrow band of latitude, and a village.
            models.Index(fields=["category", "latitude", "longitude", "created_at"], condition=ORIGINALS,
                         name="report_original_near"),
            models.Index(fields=["village", "category", "created_at"], condition=ORIGINALS,
                         name="report_original_village"),
            # The reports waiting to be routed, oldest first: small, since routing follows
            # within seconds.
            models.Index(fields=["id"], condition=Q(routed_at__isnull=True), name="report_unrouted"),
            *(models.Index(fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"report_{name}")
              for name in ("duplicate_of", "likely_duplicate_of", "submitted_by")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id} {self.village_id}"

    @property
    def shown_description(self) -> str:
        return "" if self.hidden else self.description


class Recipient(models.Model):
    """A report in someone's inbox: the village's officer, its forum, or a supervisor."""

    class Why(models.TextChoices):
        OFFICER = "officer", _("Bhabinkamtibmas of the village")
        FORUM = "forum", _("FKPM of the village")
        GAP = "gap", _("no officer posted: Polsek supervisor")
        PPA = "ppa", _("PPA officer in scope")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recipients")
    why = models.CharField(max_length=10, choices=Why.choices)
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="inbox")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="inbox")
    unit = models.ForeignKey(PoliceUnit, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="inbox")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | Q(forum__isnull=False) | Q(unit__isnull=False),
                name="recipient_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} -> {self.officer or self.forum or self.unit}"


class Event(models.Model):
    """One step of a report's history. Public events are shown on the tracking page."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    # Now, unless given: routing dates a report's "received" event when the report arrived.
    at = models.DateTimeField(default=timezone.now, editable=False)
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=12, blank=True)
    public = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Block(models.Model):
    """A blocked phone number, e-mail address or client: their reports are refused."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone number")
        EMAIL = "email", _("e-mail address")
        CLIENT = "client", _("client address")

    kind = models.CharField(max_length=6, choices=Kind.choices)
    value_hash = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value_hash"], name="block_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value_hash[:8]}…"


class InboundMessage(models.Model):
    """A webhook delivery, stored once per provider message id (replays are answered, not redone)."""

    channel = models.CharField(max_length=10)
    provider_id = models.CharField(max_length=120)
    sender_hash = models.CharField(max_length=64, db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    # A tracking code in the reply is kept as CODE_SLOT, the code itself only in `secret`.
    reply = models.TextField(blank=True)
    secret = EncryptedTextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "provider_id"],
                                               name="inbound_once")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.provider_id}"

    def text(self) -> str:
        """The reply as the sender reads it, tracking code filled in."""
        return code_filled(self.reply, self.secret)


class Conversation(models.Model):
    """Where an SMS/WhatsApp sender is in the intake dialogue."""

    channel = models.CharField(max_length=10)
    sender_hash = models.CharField(max_length=64)
    sender = EncryptedTextField()
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "sender_hash"],
                                               name="conversation_unique")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.sender_hash[:8]}…"


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(max_length=10)
    to = EncryptedTextField()
    # A tracking code is never stored in `body`: it holds CODE_SLOT, and the code sits
    # encrypted in `secret` until the message is sent (messaging.py).
    body = models.TextField()
    secret = EncryptedTextField(blank=True)
    # The facts of `body` (report number, status) for a WhatsApp template outside the
    # 24-hour window; empty for messages that have none.
    params = models.JSONField(default=list, blank=True)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="messages")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.channel} {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    def text(self) -> str:
        """The message as it is sent, tracking code filled in."""
        return code_filled(self.body, self.secret)


REOPEN_DAYS = 14  # a reporter may reopen a resolved or closed report this long afterwards


class Feedback(models.Model):
    """The reporter's word on a report once it was resolved or closed: is it fixed, how was
    the response (1–5), and whether they reopened it. One per report and resolution: a report
    reopened and resolved again may be answered again."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="feedback")
    # The resolution answered (the report's resolved_at then): one answer each.
    resolved_at = models.DateTimeField()
    fixed = models.BooleanField(_("fixed"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    reopened = models.BooleanField(_("reopened"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reporter feedback")
        verbose_name_plural = _("reporter feedback")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["report", "resolved_at"], name="feedback_once"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="feedback_rating_1_5"),
            models.CheckConstraint(condition=~Q(reopened=True, fixed=True),
                                   name="feedback_reopened_not_fixed"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} fixed={self.fixed} rating={self.rating}"


class MeToo(models.Model):
    """"Saya juga mengalami ini": someone else affected by a published report. Counted once per
    person (their account, else a keyed hash of their address); never a report of its own."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="me_too")
    who_hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("“me too”")
        verbose_name_plural = _("“me too”")
        constraints = [models.UniqueConstraint(fields=["report", "who_hash"], name="me_too_once")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.who_hash[:8]}…"
