import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polmas.core.fields import EncryptedTextField
from polmas.regions.models import Region


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    BHABINKAMTIBMAS = "bhabinkamtibmas", _("Bhabinkamtibmas")
    FKPM_MEMBER = "fkpm_member", _("FKPM member")
    SUPERVISOR = "supervisor", _("supervisor")
    PPA_OFFICER = "ppa_officer", _("PPA officer")
    PARTNER = "partner", _("partner")
    PLANNER = "planner", _("planner")
    ADMIN = "admin", _("administrator")
    # Not police: a partner organisation's, a university's or BPS staff who interview for
    # surveys (their organisation in RoleGrant.organisation); no region scope of their own.
    ENUMERATOR = "enumerator", _("survey enumerator")


class RoleGrant(models.Model):
    """A role held by a user, anchored where its scope comes from.

    supervisor and ppa_officer are held at a police unit (scope: the unit's jurisdiction);
    bhabinkamtibmas follows the user's officer record (scope: their assigned villages);
    fkpm_member follows the user's forum memberships (scope: those forums' villages);
    partner and planner are given a region (none for a national planner);
    admin sees everything; resident sees no internal records.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="role_grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey("policing.PoliceUnit", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="role_grants", verbose_name=_("police unit"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("region"))
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["supervisor", "ppa_officer"]) | Q(unit__isnull=False),
                name="grant_unit_roles_have_unit",
            ),
        ]

    def __str__(self) -> str:
        anchor = self.unit or self.region or ""
        return f"{self.user} {self.get_role_display()} {anchor}".strip()


class AuditEntry(models.Model):
    """Who did what to which record, when and why. Written by services; never edited."""

    # Now, unless given: routing dates a report's submission when the report arrived.
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    region_code = models.CharField(_("region code"), max_length=13, blank=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"


class ApiToken(models.Model):
    """A bearer token for integrations and the field app, with the refresh token issued beside
    it; only their SHA-256 are stored. A refresh replaces the row by a new one of the same
    family (ADR 13); a refresh token used twice revokes the whole family."""

    class Revoked(models.TextChoices):
        REFRESHED = "refreshed", _("replaced by a refresh")
        LOGOUT = "logout", _("logged out")
        USER = "user", _("revoked by its owner")
        PASSWORD = "password", _("password changed")
        DEACTIVATED = "deactivated", _("account disabled")
        REUSE = "reuse", _("refresh token used twice")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("why revoked"), max_length=12, choices=Revoked.choices,
                                      blank=True)
    # The login this token descends from through refreshes: revoking one revokes them all.
    family = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    refresh_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    refresh_expires_at = models.DateTimeField(_("refresh until"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Open311Key(models.Model):
    """A key for a third-party Open311 client to post service requests; only its SHA-256 is
    stored. Made with `polmas create_api_key`, revoked in the admin."""

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class NotificationSetting(models.Model):
    """What a user wants to be told of (new reports routed to them, escalations, follow-ups
    due) and how: web push to their devices, SMS or WhatsApp to `phone`. Without a row, every
    event by push (notify.DEFAULTS)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_setting")
    events = models.JSONField(_("events"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    phone = EncryptedTextField(_("phone for SMS and WhatsApp"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {','.join(self.events)} / {','.join(self.channels)}"


class PushSubscription(models.Model):
    """One browser or device of a user that accepted web push (the W3C Push API's
    subscription: the push service's endpoint and the keys to encrypt for it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device = models.CharField(_("device"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.device[:40]}"
