"""The audit log: every write, and every read of a sealed record.

An entry is stored inside the caller's transaction, so it lands with the change. Report
routing builds its entries with audit_entry and stores a batch's with one bulk_create
(reports/routing.py).
"""

from django.contrib.auth.models import AnonymousUser, User

from polmas.access.models import AuditEntry


def audit_entry(
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
    """An entry, not yet stored (for audit_record, or bulk_create for a batch)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    real = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry(
        actor=real,
        actor_name=real.get_username() if real else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        reason=reason,
        detail=detail or {},
    )


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
    entry = audit_entry(actor=actor, action=action, obj=obj, object_type=object_type,
                        object_id=object_id, region_code=region_code, reason=reason, detail=detail)
    entry.save(force_insert=True)
    return entry
