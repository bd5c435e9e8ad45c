"""Photos sent in chunks of at most 1 MB, each checked against the SHA-256 the phone sent with
it; the whole is checked against the photo's own SHA-256 when the last byte arrives. A chunk
sent again (the phone did not hear the answer) is accepted if it matches what is stored."""

import hashlib
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from polmas.core.errors import Conflict
from polmas.field.models import CHUNK, MAX_UPLOAD, Upload
from polmas.field.sync import HASH

TYPES = ("image/jpeg", "image/png", "image/webp")


class UploadConflict(Conflict):
    """An upload UUID declared before for another photo (or by someone else): 409."""


def upload_start(*, actor: User, key: uuid.UUID, size: int, sha256: str, content_type: str) -> Upload:
    """Declare a photo (or find the one declared before with the same UUID)."""
    errors = {}
    if not 1 <= size <= MAX_UPLOAD:
        errors["size"] = _("A photo must be 1 to %(max)d bytes (shrink it on the phone).") % {
            "max": MAX_UPLOAD}
    if not HASH.match(sha256 or ""):
        errors["sha256"] = _("must be the SHA-256 of the photo, 64 lowercase hexadecimal digits.")
    if content_type not in TYPES:
        errors["content_type"] = _("must be one of: %(kinds)s.") % {"kinds": ", ".join(TYPES)}
    if errors:
        raise ValidationError(errors)
    existing = Upload.objects.filter(pk=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                return Upload.objects.create(uuid=key, user=actor, size=size, sha256=sha256,
                                             content_type=content_type)
        except IntegrityError:
            existing = Upload.objects.filter(pk=key).first()
    if existing is None or existing.user_id != actor.pk or (existing.size, existing.sha256) != (size, sha256):
        raise UploadConflict(_("This upload UUID was already used for another photo."))
    return existing


def upload_chunk(*, actor: User, key: uuid.UUID, offset: int, data: bytes, sha256: str) -> Upload:
    """Add the chunk at `offset`. Refused: a chunk over 1 MB, one whose hash does not match,
    a gap (the answer says how much is stored), and a whole that does not match its hash
    (then it starts again from 0)."""
    with transaction.atomic():
        upload, whole_ok = _add(actor, key, offset, data, sha256)
    if not whole_ok:
        raise ValidationError({"sha256": _("The photo does not match its SHA-256; it was discarded: "
                                           "upload it again.")})
    return upload


def _add(actor: User, key: uuid.UUID, offset: int, data: bytes, sha256: str) -> tuple[Upload, bool]:
    upload = Upload.objects.select_for_update().filter(pk=key, user=actor).first()
    if upload is None:
        raise Upload.DoesNotExist
    if len(data) > CHUNK or not data:
        raise ValidationError({"body": _("A chunk must hold 1 byte to 1 MB.")})
    if hashlib.sha256(data).hexdigest() != (sha256 or "").lower():
        raise ValidationError({"X-Chunk-SHA256": _("The chunk does not match its SHA-256: send it again.")})
    stored = bytes(upload.data)
    end = offset + len(data)
    if offset < 0 or offset > upload.received:
        raise ValidationError({"offset": _("Send the chunk starting at byte %(n)d.") % {
            "n": upload.received}})
    if end > upload.size:
        raise ValidationError({"offset": _("The chunk runs past the photo's size.")})
    if end <= upload.received:
        if stored[offset:end] != data:
            raise ValidationError({"body": _("This chunk differs from the one already received.")})
        return upload, True
    stored = stored[:offset] + data
    if len(stored) == upload.size and hashlib.sha256(stored).hexdigest() != upload.sha256:
        upload.data, upload.received = b"", 0
        upload.save(update_fields=["data", "received"])
        return upload, False
    upload.data, upload.received = stored, len(stored)
    upload.complete = upload.received == upload.size
    upload.save(update_fields=["data", "received", "complete"])
    return upload, True
