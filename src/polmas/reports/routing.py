"""Who receives a report: the village's Bhabinkamtibmas and FKPM; with no officer posted,
the Polsek supervisor (a coverage gap); for a sensitive category, or a report held for
moderation because its text tells of a sensitive matter, the officer and the PPA officer in
scope only, never the forum.

Intake stores a report and answers at once; routing follows in batches, from a task the
intake queues (tasks.route_soon) or from `polmas reports_route`, usually within a second or
two (ADR 11). Until then a report sits in no inbox and counts in no rollup.
"""

import datetime as dt
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from polmas.access.audit import audit_entry
from polmas.access.models import AuditEntry, Role
from polmas.core.db.writelock import checkpoint, intake_writer, pass_turn
from polmas.core.scope import any_covers
from polmas.regions import codes
from polmas.reports import lookups
from polmas.reports.models import Event, Recipient, Report
from polmas.reports.signals import reports_routed


def ppa_units_for(code: str) -> list[int]:
    """Units holding a PPA officer whose jurisdiction covers `code`."""
    return lookups.ppa_units(codes.ancestors(code) + [""], role=Role.PPA_OFFICER)


def in_scope_of_unit(unit_prefixes: list[str], code: str) -> bool:
    return any_covers(unit_prefixes, code)


# --- routing in batches (ADR 11) ------------------------------------------------------------

BATCH = 50  # reports per transaction: on SQLite the write lock is held while they are routed


def _recipients(code: str, sensitive: bool, officer: int | None, forums: list[int],
                ppa: list[int]) -> list[Recipient]:
    """The inbox entries of a report of village `code`, whose posted officer, standing forums
    and PPA units in scope are given: the officer, else the Polsek supervisor (a coverage
    gap); then the forums, or for a sensitive matter the PPA officers in scope instead."""
    if officer is not None:
        recipients = [Recipient(why=Recipient.Why.OFFICER, officer_id=officer)]
    else:
        # Routing writes no police units: what it reads of them may be kept for the next batch.
        polsek = lookups.polsek_of(code, keep=True)
        recipients = [Recipient(why=Recipient.Why.GAP, unit_id=polsek)] if polsek else []
    if sensitive:
        recipients += [Recipient(why=Recipient.Why.PPA, unit_id=u) for u in ppa]
    else:
        recipients += [Recipient(why=Recipient.Why.FORUM, forum_id=f) for f in forums]
    return recipients


def route_batch(*, ids: list[int] | None = None, limit: int = BATCH) -> int:
    """Route up to `limit` reports waiting for it (only those among `ids`, if given), oldest
    first, in one transaction: each gets its inbox entries (_recipients), its
    coverage-gap flag, its public "received" event and the audit entry of its submission (both
    dated when it arrived), and its village's rollups are recounted after commit. Returns how
    many were routed. Safe to run at once in several processes: PostgreSQL skips the rows
    another is routing; on SQLite the intake write turn and the write lock serialise them."""
    with intake_writer(), transaction.atomic():
        pending = Report.objects.filter(routed_at__isnull=True)
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True, of=("self",))
        rows = [(pk, village, sensitive or held, *rest) for pk, village, sensitive, held, *rest in
                pending.order_by("pk").values_list("pk", "village_id", "sensitive", "held", "channel",
                                                   "submitted_by_id", "created_at")[:limit]]
        if not rows:
            return 0
        postings = lookups.postings_and_forums(sorted({r[1] for r in rows}))
        ppa = {v: ppa_units_for(v) for v in sorted({r[1] for r in rows if r[2]})}  # sealed matters' villages
        users = dict(User.objects.filter(pk__in={r[4] for r in rows if r[4]}).values_list("pk", "username"))
        now = timezone.now()
        recipients, events, entries, gaps = [], [], [], {True: [], False: []}
        for pk, village, sensitive, channel, user_id, created_at in rows:
            officer, forums = postings[village]
            for r in _recipients(village, sensitive, officer, forums, ppa.get(village, [])):
                r.report_id = pk
                recipients.append(r)
            # "received" whatever happened since: an officer may have acted before the batch.
            events.append(Event(report_id=pk, at=created_at, kind="received",
                                status=Report.Status.RECEIVED, public=True))
            entry = audit_entry(actor=None, action="report.submit", object_type=Report._meta.label_lower,
                                object_id=pk, region_code=village, detail={"channel": channel})
            if user_id in users:
                entry.actor_id, entry.actor_name = user_id, users[user_id]
            entry.at = created_at
            entries.append(entry)
            gaps[officer is None].append(pk)
        Recipient.objects.bulk_create(recipients)
        Event.objects.bulk_create(events)
        AuditEntry.objects.bulk_create(entries)
        for gap, pks in gaps.items():
            if pks:
                Report.objects.filter(pk__in=pks).update(routed_at=now, coverage_gap=gap)
        reports_routed.send(sender=Report, villages=sorted({r[1] for r in rows}),
                            report_ids=[r[0] for r in rows])
    return len(rows)


def route_pending(*, deadline: float | None = None,
                  progress: Callable[[int], None] | None = None) -> int:
    """Route every report waiting for it, batch by batch, until a batch finds fewer than
    BATCH (it has caught up: what arrives meanwhile waits for the next run, and forms a batch
    worth the transaction) or the monotonic `deadline` has passed. Returns how many were
    routed."""
    total = 0
    while deadline is None or time.monotonic() < deadline:
        done = route_batch(limit=BATCH)
        total += done
        if progress and done:
            progress(done)
        if done < BATCH:
            break
        pass_turn()
    if total:
        checkpoint()
    return total


def unrouted(where: Q | None = None) -> tuple[int, dt.datetime | None]:
    """How many reports (among those matching `where`) wait to be routed, and when the
    oldest arrived."""
    waiting = Report.objects.filter(where or Q(), routed_at__isnull=True)
    oldest = waiting.order_by("pk").values_list("created_at", flat=True).first()
    return (waiting.count(), oldest) if oldest else (0, None)
