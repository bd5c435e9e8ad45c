"""Officers are told of their cases: an escalation (the case's officer and the supervisors of
the unit it moved to) and an action due today (the case's officer, once a day). Each person as
they chose (access.notify): push from there, SMS and WhatsApp through reports' backends."""

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from polmas.access.models import Role
from polmas.access.notify import notify
from polmas.cases.models import Action, Case
from polmas.regions import zones
from polmas.regions.models import Region
from polmas.reports.tasks import message_queue

# How often the task worker looks for actions due today (core/periodic.py).
FOLLOWUP_EVERY = dt.timedelta(hours=1)


def _tell(users: list[User], event: str, title: str, body: str, url: str) -> int:
    told = 0
    for user in users:
        for target in notify(user=user, event=event, title=title, body=body, url=url):
            message_queue(channel=target.channel, to=target.to, body=f"Polmas: {title}. {body}",
                          report_id=None)
        told += 1
    return told


def _officer_user(case: Case) -> list[User]:
    officer = case.assigned_officer
    return [officer.user] if officer is not None and officer.user_id else []


def case_escalated(case: Case) -> int:
    """Tell the case's officer and its unit's supervisors that `case` was escalated. A sealed
    case is named by its number only. Returns how many people were considered."""
    users = _officer_user(case)
    if case.unit_id:
        users += list(User.objects.filter(role_grants__role=Role.SUPERVISOR,
                                          role_grants__unit_id=case.unit_id, is_active=True).distinct())
    users = list({u.pk: u for u in users}.values())
    with override("id"):
        title = _("Case %(number)s escalated") % {"number": case.number}
        body = _("No activity for 7 days: it now waits at the Polsek.")
    return _tell(users, "escalation", title, body, reverse("cases:detail", args=[case.pk]))


def followups_remind(*, now: dt.datetime | None = None) -> int:
    """Tell each officer of the actions of their open cases due today in the case village's
    zone (WIB, WITA or WIT: regions.zones), each action once a day. No caller: the system
    acts; safe to run twice at once (the reminder is claimed with a conditional update)."""
    now = now or timezone.now()
    waiting = Action.objects.filter(status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS],
                                    case__stage__in=Case.OPEN_STAGES,
                                    case__assigned_officer__user__isnull=False)
    due: list[tuple[int, dt.date]] = []
    offsets = waiting.values_list("case__village__utc_offset", flat=True).distinct().order_by()
    for offset in set(offsets):
        today = now.astimezone(zones.zone_of(Region(utc_offset=offset))).date()
        due += [(pk, today) for pk in waiting.filter(case__village__utc_offset=offset, due=today)
                .exclude(reminded_on=today).values_list("pk", flat=True)]
    told = 0
    for pk, today in due:
        with transaction.atomic():
            if not Action.objects.filter(pk=pk).exclude(reminded_on=today).update(reminded_on=today):
                continue  # another run took it
            action = Action.objects.select_related("case__assigned_officer__user").get(pk=pk)
            case = action.case
            with override("id"):
                title = _("An action of case %(number)s is due today") % {"number": case.number}
                body = _("Record what was done, or move its date.")
            told += _tell(_officer_user(case), "followup_due", title, body,
                          reverse("cases:detail", args=[case.pk]) + "#respons")
    return told
