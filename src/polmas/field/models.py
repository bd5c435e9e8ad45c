"""What the field app's sync keeps of its own: one receipt per record a phone sent (its UUID
and content hash, so a resend is answered without touching the record's app), and the photos
uploaded in chunks before the record that carries them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A photo is shrunk on the phone to 200 KB; a little room for other encoders.
MAX_UPLOAD = 512 * 1024
CHUNK = 1024 * 1024


class Receipt(models.Model):
    """A record the sync stored: the same UUID again is `exists` (same hash) or `conflict`."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activity")
        REPORT = "report", _("report")
        MEETING = "meeting", _("meeting")
        CHECKIN = "checkin", _("check-in")
        CASE_NOTE = "case_note", _("case note")
        INTERVIEW = "interview", _("survey interview")
        PARTNER_ACTIVITY = "partner_activity", _("partner activity")

    uuid = models.UUIDField(primary_key=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    hash = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sync receipt")
        verbose_name_plural = _("sync receipts")
        constraints = [models.CheckConstraint(condition=Q(hash__regex=r"^[0-9a-f]{64}$"),
                                              name="field_receipt_hash_hex")]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"


class Upload(models.Model):
    """A photo sent in chunks; complete once every byte arrived and the whole matches `sha256`.
    Attached to the record that names it, in the same transaction as that record."""

    uuid = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    data = models.BinaryField(default=b"")
    received = models.PositiveIntegerField(default=0)
    complete = models.BooleanField(default=False)
    record = models.UUIDField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo upload")
        verbose_name_plural = _("photo uploads")
        constraints = [
            models.CheckConstraint(condition=Q(received__lte=models.F("size")), name="field_upload_within"),
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=MAX_UPLOAD), name="field_upload_size"),
        ]

    def __str__(self) -> str:
        return f"{self.uuid} ({self.received}/{self.size})"
