"""A resent client UUID whose first answer was lost: the same client gets a working tracking
code again (ADR 16).

Only a hash of a tracking code is kept, so the first code cannot be told twice. A resend that
is surely the same client's gets a fresh code instead: its hash replaces the old one (the lost
code stops working, so at most one code per report is ever valid), and the answer carries it.
"The same client" means all of:
- the same channel (web form, API, Open311 ...);
- the same sender: the same signed-in account if the report was filed signed in, else the same
  client address (for Open311: the same API key from the same address), as intake keys it;
  a report without either (an SMS, a client behind no known address) never gets one;
- the same content: the same category and, to the character, the same text (a client that
  resends what it stored in its outbox sends exactly that);
- within RESEND_WINDOW of the first sending.
Anyone else sending the UUID (guessed, or replayed from elsewhere) gets the stored report's
number and `tracking_code: null`, as before: never a code, which would open its status page.
"""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from polmas.reports.models import Report
from polmas.reports.tracking import tracking_code_new, tracking_hash, value_hash

RESEND_WINDOW = dt.timedelta(hours=24)


def same_client(*, report: Report, channel: str, client_key: str, user: User | None,
                category: str, description: str) -> bool:
    """Whether a resend of `report`'s client UUID comes from the client that sent it first
    (see the module's docstring); `client_key` is the raw client address."""
    if channel != report.channel or timezone.now() - report.created_at > RESEND_WINDOW:
        return False
    if report.submitted_by_id is not None:
        if user is None or user.pk != report.submitted_by_id:
            return False
    elif not (report.client_key and client_key and value_hash("client", client_key) == report.client_key):
        return False
    return ((category or "").strip() == report.category.code
            and (description or "").strip() == report.description)


def code_reissue(*, report: Report) -> str | None:
    """A fresh tracking code for `report`, its hash replacing the one stored; None if another
    resend replaced it in the meantime (that one's answer carries the working code)."""
    code = tracking_code_new()
    changed = Report.objects.filter(pk=report.pk, tracking_hash=report.tracking_hash).update(
        tracking_hash=tracking_hash(code))
    return code if changed else None
