"""Who read or exported what, and whose data it was, in a time window: what a breach notice
(UU 27/2022 article 46, within 3 x 24 hours) must name. Read from the audit log alone.

The reads the log records: sealed records opened (report.read_sealed, case.read_sealed), a
reporter's identity shown (report.read_identity), a forum's member list (forum.read_members),
dashboard tables downloaded (analytics.export) and a person's data exported
(personal_data.export). The data subjects are the records read: a report (its reporter), a
forum member, a forum (all its members), a case, or a region's table.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet

from polmas.access.models import AuditEntry
from polmas.core.scope import prefix_q
from polmas.regions import codes

READ_ACTIONS = ("report.read_sealed", "report.read_identity", "case.read_sealed", "case.export_agreement",
                "forum.read_members", "analytics.export", "personal_data.export")


def breach_entries(*, since: dt.datetime, until: dt.datetime, region: str = "",
                   include_writes: bool = False) -> QuerySet[AuditEntry]:
    """Audit entries from `since` (inclusive) to `until` (exclusive), oldest first: the reads
    and exports (every entry with `include_writes`). With `region`, those of records in it and
    of tables that cover it (a national or provincial download holds the region's figures).
    Requires: an operator (a command, no user)."""
    qs = AuditEntry.objects.filter(at__gte=since, at__lt=until)
    if not include_writes:
        qs = qs.filter(action__in=READ_ACTIONS)
    if region:
        covering = Q(region_code__in=[c for c in codes.ancestors(region) if c != region])
        covering &= Q(action="analytics.export")
        national = Q(region_code="", action="analytics.export")
        qs = qs.filter(prefix_q("region_code", [region]) | covering | national)
    return qs.order_by("at", "pk")


def entry_row(entry: AuditEntry) -> dict:
    return {"at": entry.at.isoformat(), "actor": entry.actor_name, "actor_id": entry.actor_id,
            "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
            "region_code": entry.region_code, "reason": entry.reason}


def breach_summary(entries: QuerySet[AuditEntry]) -> dict:
    """The actors (what each accessed, how often, first and last time) and the data subjects
    (each record accessed, by whom, how), from `entries` (breach_entries)."""
    actors: dict[str, dict] = {}
    subjects: dict[tuple[str, str], dict] = {}
    rows = []
    for entry in entries.iterator(chunk_size=2000):
        row = entry_row(entry)
        rows.append(row)
        actor = actors.setdefault(entry.actor_name, {
            "actor": entry.actor_name, "actor_id": entry.actor_id, "accesses": 0,
            "actions": defaultdict(int), "first": row["at"], "last": row["at"]})
        actor["accesses"] += 1
        actor["actions"][entry.action] += 1
        actor["last"] = row["at"]
        key = (entry.object_type, entry.object_id)
        subject = subjects.setdefault(key, {
            "object_type": entry.object_type, "object_id": entry.object_id,
            "region_code": entry.region_code, "actors": set(), "actions": set()})
        subject["actors"].add(entry.actor_name)
        subject["actions"].add(entry.action)
    return {
        "actors": [{**a, "actions": dict(a["actions"])} for a in actors.values()],
        "subjects": [{**s, "actors": sorted(s["actors"]), "actions": sorted(s["actions"])}
                     for s in subjects.values()],
        "entries": rows,
    }
