"""A reporter's personal data (UU 27/2022): find a person's reports, export them, erase them,
and anonymise closed reports after the retention period.

Erasure keeps the statistics: the report stays with its category, village, dates, status and
flags, and only the person goes (name, phone, e-mail, reply channel, the keyed hash of their
client address, their name and contact wherever the report's text repeats them, the address
its messages went to, the sender hash of its SMS/WhatsApp deliveries). Rows are changed with
update(), so no rollup is recounted: no counted column changes.

The contact columns are encrypted (core.fields) and a report keeps no hash of them: the
reports that carry any contact are narrowed in SQL, then compared decrypted, a batch at a
time. SMS/WhatsApp deliveries keep the keyed hash of the sender (tracking.value_hash), which
finds those reports too. Requires: the caller decides who may ask (privacy.services: admins).
"""

import calendar
import datetime as dt
from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from polmas.access.audit import audit_entry, audit_record
from polmas.access.models import AuditEntry
from polmas.core.persons import Person
from polmas.core.validators import to_e164
from polmas.reports.models import Conversation, InboundMessage, OutboundMessage, Report
from polmas.reports.tracking import value_hash

BATCH = 500
IDENTITY = ("reporter_name", "reporter_phone", "reporter_email")
Progress = Callable[[int], None] | None


def _with_contact() -> Q:
    # "" is stored as "" (not encrypted), so these compare in SQL.
    return ~Q(reporter_name="", reporter_phone="", reporter_email="")


def _candidates(person: Person) -> Q:
    """The reports that may hold `person`, narrowed in SQL: those with a phone or an e-mail
    when one is given, else those with a name."""
    if person.by_name:
        return ~Q(reporter_name="")
    wanted = Q(pk__in=[])
    if person.phone:
        wanted |= ~Q(reporter_phone="")
    if person.email:
        wanted |= ~Q(reporter_email="")
    return wanted


def _sender_hashes(person: Person) -> list[str]:
    return [value_hash("phone", form) for form in person.phone_forms()]


def report_ids_of_person(*, person: Person, progress: Progress = None) -> list[int]:
    """Ids of the reports whose reporter is `person` (see Person.matches), oldest first."""
    found: set[int] = set()
    hashes = _sender_hashes(person)
    if hashes:
        found.update(InboundMessage.objects.filter(sender_hash__in=hashes, report__isnull=False)
                     .values_list("report_id", flat=True))
    rows = Report.objects.filter(_candidates(person)).only("pk", *IDENTITY).order_by("pk")
    for report in rows.iterator(chunk_size=BATCH):
        if person.matches(phone=report.reporter_phone, email=report.reporter_email,
                          name=report.reporter_name):
            found.add(report.pk)
        if progress is not None:
            progress(1)
    return sorted(found)


def reports_to_compare(person: Person) -> int:
    """How many reports a search for `person` decrypts (for a progress bar's total)."""
    return Report.objects.filter(_candidates(person)).count()


def report_record(report: Report) -> dict:
    """Everything a report holds about its reporter, and what they told, as plain JSON."""
    messages = [{"channel": m.channel, "to": m.to, "body": m.body, "status": m.status,
                 "created_at": m.created_at.isoformat(),
                 "sent_at": m.sent_at.isoformat() if m.sent_at else None}
                for m in report.messages.order_by("created_at", "pk")]
    return {
        "type": "report", "id": report.pk, "received_at": report.created_at.isoformat(),
        "channel": report.channel, "category": report.category.code, "village": report.village_id,
        "status": report.status, "description": report.description,
        "occurred_at": report.occurred_at.isoformat() if report.occurred_at else None,
        "latitude": report.latitude, "longitude": report.longitude,
        "anonymous": report.anonymous, "name": report.reporter_name,
        "phone": report.reporter_phone, "email": report.reporter_email,
        "reply_channel": report.reply_channel, "has_photo": bool(report.photo),
        "public_summary": report.public_summary,
        "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
        "history": [{"at": e.at.isoformat(), "kind": e.kind, "status": e.status}
                    for e in report.events.filter(public=True).order_by("at", "pk")],
        "messages": messages,
    }


def reports_export(*, actor: User | None, person: Person, ids: Iterable[int]) -> list[dict]:
    """The records of reports `ids` (found by report_ids_of_person); each read is audited.
    Requires: the caller checked that `actor` may handle the request."""
    reports = list(Report.objects.filter(pk__in=list(ids)).select_related("category").order_by("pk"))
    AuditEntry.objects.bulk_create([audit_entry(actor=actor, action="personal_data.export", obj=r,
                             region_code=r.village_id, detail=person.describe()) for r in reports])
    return [report_record(r) for r in reports]


def dialogues_export(*, person: Person) -> list[dict]:
    """The SMS/WhatsApp dialogues kept under the person's number (a report being written)."""
    hashes = _sender_hashes(person)
    return [{"channel": c.channel, "number": c.sender, "state": c.state,
             "updated_at": c.updated_at.isoformat()}
            for c in Conversation.objects.filter(sender_hash__in=hashes)] if hashes else []


def _scrubbed(report: Report, person: Person | None) -> dict:
    """The new values of a report's columns once its reporter is gone."""
    own = Person(phone=to_e164(report.reporter_phone), email=report.reporter_email.lower(),
                 name=report.reporter_name)
    text, summary = own.scrub(report.description), own.scrub(report.public_summary)
    if person is not None:
        text, summary = person.scrub(text), person.scrub(summary)
    return {"reporter_name": "", "reporter_phone": "", "reporter_email": "", "reply_channel": "",
            "client_key": "", "anonymous": True, "description": text, "public_summary": summary[:500]}


def _anonymise(reports: list[Report], person: Person | None) -> None:
    """Blank the reporter of `reports` (locked by the caller), keeping every counted column."""
    for report in reports:
        Report.objects.filter(pk=report.pk).update(version=report.version + 1,
                                                   **_scrubbed(report, person))
    ids = [r.pk for r in reports]
    # Messages already handled forget their address; one still pending would fail without it.
    OutboundMessage.objects.filter(report_id__in=ids).exclude(
        status=OutboundMessage.Status.PENDING).update(to="")
    InboundMessage.objects.filter(report_id__in=ids).update(sender_hash="")


def reports_erase(*, actor: User | None, person: Person, ids: Iterable[int], reason: str) -> list[int]:
    """Erase `person` from reports `ids` (found by report_ids_of_person) and from the SMS and
    WhatsApp dialogue kept under their number; one audit entry per report.
    Requires: the caller checked that `actor` may handle the request; a reason."""
    done: list[int] = []
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            batch = list(Report.objects.select_for_update().filter(pk__in=ids[start:start + BATCH])
                         .order_by("pk"))
            _anonymise(batch, person)
            AuditEntry.objects.bulk_create([audit_entry(actor=actor, action="personal_data.erase", obj=r,
                                     region_code=r.village_id, reason=reason,
                                     detail=person.describe()) for r in batch])
            done += [r.pk for r in batch]
    hashes = _sender_hashes(person)
    if hashes:
        with transaction.atomic():
            Conversation.objects.filter(sender_hash__in=hashes).delete()
            InboundMessage.objects.filter(sender_hash__in=hashes).update(sender_hash="")
    return done


# --- retention ------------------------------------------------------------------------------

CLOSED = (Report.Status.RESOLVED, Report.Status.CLOSED)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the month's last day if the
    day does not exist then: 31 March less one month is 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def retention_due(*, cutoff: dt.datetime):
    """Closed or resolved reports, closed before `cutoff`, that still carry a contact. A
    report closed without a closing time (spam, merged duplicates) counts from its last change."""
    closed_before = Q(resolved_at__lt=cutoff) | Q(resolved_at__isnull=True, updated_at__lt=cutoff)
    return Report.objects.filter(_with_contact(), closed_before, status__in=CLOSED)


def retention_anonymise(*, months: int, now: dt.datetime | None = None,
                        progress: Progress = None) -> int:
    """Anonymise the reporters of reports closed more than `months` months ago; one audit
    entry for the run. Safe to re-run and to interrupt: each batch commits on its own, and an
    anonymised report no longer qualifies. Requires: an operator (a command, no user)."""
    cutoff = months_before(now or timezone.now(), months)
    count, first, last = 0, None, None
    while True:
        with transaction.atomic():
            batch = list(retention_due(cutoff=cutoff).select_for_update().order_by("pk")[:BATCH])
            if not batch:
                break
            _anonymise(batch, None)
        count += len(batch)
        first = first if first is not None else batch[0].pk
        last = batch[-1].pk
        if progress is not None:
            progress(len(batch))
    # Dialogues left unfinished before the cutoff hold a sender's number and a draft.
    stale = Conversation.objects.filter(updated_at__lt=cutoff).delete()[0]
    audit_record(actor=None, action="retention.anonymise", object_type="reports.report",
                 detail={"months": months, "cutoff": cutoff.isoformat(), "reports": count,
                         "first_id": first, "last_id": last, "conversations": stale})
    return count


# --- reads of a reporter's identity ----------------------------------------------------------

def has_identity(report: Report) -> bool:
    return bool(report.reporter_name or report.reporter_phone or report.reporter_email)


def identity_read_audit(*, user: User, report: Report, via: str) -> None:
    """Record that `user` was shown the reporter of `report` (a sealed report's read is
    audited already, as report.read_sealed). A GET writes only this, as sealed reads do."""
    if report.sensitive or not has_identity(report):
        return
    audit_record(actor=user, action="report.read_identity", obj=report,
                 region_code=report.village_id, detail={"via": via})
