"""A business partner reports suspected trafficking or exploitation.

The report goes through the intake every channel uses (reports.intake), under the
trafficking category: it is sealed and routed to the PPA unit of its place like any sensitive
report. The organisation keeps only the link, and sees the report's status (the tracking
page's public part: no text, no category), never its content."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.core.scope import covers
from polmas.partners import selectors
from polmas.partners.models import Organisation, PartnerReport
from polmas.partners.services import NotFound
from polmas.reports.intake import IntakeError, ReportInput, report_submit
from polmas.reports.selectors import status_mine

CATEGORY = "trafficking"


def partner_report_file(*, actor: User, village: str, description: str) -> PartnerReport:
    """File a sealed report of suspected trafficking or exploitation from one of the
    organisation's places. Requires: staff of a business partner; a village outside its
    places is NotFound."""
    org = selectors.organisation_of(actor)
    if org is None or org.kind != Organisation.Kind.BUSINESS:
        raise PermissionDenied(_("Only a business partner's staff file these reports."))
    places = selectors.partner_prefixes(actor)
    if not isinstance(village, str) or not any(covers(p, village) for p in places):
        raise NotFound
    try:
        submitted = report_submit(ReportInput(category=CATEGORY, description=description, channel="web",
                                              village=village, anonymous=True, user=actor))
    except IntakeError as exc:
        raise ValidationError(exc.errors) from None
    with transaction.atomic():
        row, _created = PartnerReport.objects.get_or_create(
            report=submitted.report, defaults={"organisation": org, "filed_by": actor})
        audit_record(actor=actor, action="partner.report", obj=row, region_code=village,
                     detail={"report": submitted.report.pk})
    return row


def partner_report_statuses(*, user: User) -> list[dict]:
    """Each report the caller's organisation filed: its number, place, date and status,
    nothing of what it says. Requires: a partner's staff (their organisation's only)."""
    out = []
    for row in selectors.partner_reports(user=user):
        status = status_mine(user=row.filed_by, report_id=row.report_id) if row.filed_by else None
        if status is None:
            continue
        out.append({"id": row.pk, "number": status["number"], "village": status["village"],
                    "received_at": status["received_at"], "status": status["status"],
                    "status_label": status["status_label"]})
    return out
