"""The alert to an agreement's owner 60 days before it expires, raised once.

Run by `polmas agreements_alert` (daily, from cron or the periodic runner) and the task
beside it. Each alert is claimed by inserting its AgreementAlert row, unique per agreement
and kind: two workers racing, or a re-run, raise nothing twice."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.notify import notify
from polmas.partners.models import Agreement, AgreementAlert
from polmas.reports.tasks import message_queue

ALERT_DAYS = 60


def expiring(today: dt.date) -> list[Agreement]:
    """Agreements in force that end within ALERT_DAYS and were not alerted yet."""
    return list(Agreement.objects.filter(
        status=Agreement.Status.ACTIVE, ends_on__gte=today,
        ends_on__lte=today + dt.timedelta(days=ALERT_DAYS))
        .exclude(alerts__kind=AgreementAlert.Kind.EXPIRY).select_related("owner", "organisation"))


def agreements_alert(*, today: dt.date | None = None) -> int:
    """Raise the expiry alert of every agreement due for one; returns how many were raised.
    Also marks agreements past their end as ended. Idempotent. Requires: the system."""
    today = today or timezone.localdate()
    raised = 0
    for agreement in expiring(today):
        try:
            with transaction.atomic():
                AgreementAlert.objects.create(agreement=agreement, kind=AgreementAlert.Kind.EXPIRY)
                audit_record(actor=None, action="agreement.expiry_alert", obj=agreement,
                             detail={"ends_on": agreement.ends_on.isoformat(),
                                     "owner": agreement.owner_id})
                if agreement.owner is not None:
                    _tell(agreement)
        except IntegrityError:
            continue  # another run raised it first
        raised += 1
    Agreement.objects.filter(status=Agreement.Status.ACTIVE, ends_on__lt=today).update(
        status=Agreement.Status.ENDED)
    return raised


def _tell(agreement: Agreement) -> None:
    """Push to the owner's devices; SMS or WhatsApp through the message backends, as cases do."""
    title = _("An agreement expires soon")
    body = _("%(title)s ends on %(date)s.") % {"title": agreement.title[:80],
                                                "date": agreement.ends_on.isoformat()}
    for target in notify(user=agreement.owner, event="agreement_expiring", title=title, body=body,
                         url=reverse("partners:agreement", args=[agreement.pk])):
        message_queue(channel=target.channel, to=target.to, body=f"Polmas: {title}. {body}", report_id=None)
