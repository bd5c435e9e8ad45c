"""The audit log: every write, and every read of a sealed record."""

from django.contrib.auth.models import AnonymousUser, User

from polmas.access.models import AuditEntry


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: object | None = None,
    object_type: str = "",
    object_id: str | int = "",
    region_code: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry. Called inside the caller's transaction, so it lands with the change."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower  # type: ignore[attr-defined]
        object_id = object_id or obj.pk  # type: ignore[attr-defined]
    real = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=real,
        actor_name=real.get_username() if real else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        reason=reason,
        detail=detail or {},
    )
