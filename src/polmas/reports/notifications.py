"""Officers are told of a new report routed to them (access.notify decides how): the
village's Bhabinkamtibmas, and the supervisors of a Polsek that receives a village's reports
for want of one. Routing sends `reports_routed`; the telling runs in a task after commit."""

from django.contrib.auth.models import User
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from polmas.access.models import Role
from polmas.access.notify import notify
from polmas.reports.models import Recipient, Report
from polmas.reports.tasks import message_queue


def _people(report: Report) -> list[User]:
    users: dict[int, User] = {}
    for r in Recipient.objects.filter(report=report).select_related("officer__user"):
        if r.why == Recipient.Why.OFFICER and r.officer is not None and r.officer.user is not None:
            users[r.officer.user.pk] = r.officer.user
        elif r.why in (Recipient.Why.GAP, Recipient.Why.PPA) and r.unit_id:
            role = Role.SUPERVISOR if r.why == Recipient.Why.GAP else Role.PPA_OFFICER
            for u in User.objects.filter(role_grants__role=role, role_grants__unit_id=r.unit_id,
                                         is_active=True):
                users[u.pk] = u
    return list(users.values())


def report_routed_tell(report_id: int) -> int:
    """Tell the people a report was routed to. A sealed matter is not named. No caller: the
    system acts. Returns how many people were considered."""
    report = Report.objects.filter(pk=report_id).select_related("category", "village").first()
    if report is None or report.spam or report.duplicate_of_id:
        return 0
    with override("id"):
        title = _("New report #%(id)s") % {"id": report.pk}
        what = _("a sensitive matter") if report.sensitive or report.held else report.category.name
        body = _("%(what)s in %(village)s.") % {"what": what, "village": report.village.name}
    url = reverse("report-page", args=[report.pk])
    people = _people(report)
    with transaction.atomic():
        for user in people:
            for target in notify(user=user, event="new_report", title=title, body=body, url=url):
                message_queue(channel=target.channel, to=target.to, body=f"Polmas: {title}. {body}",
                              report_id=None)
    return len(people)


@task()
def reports_tell_task(report_ids: list[int]) -> int:
    return sum(report_routed_tell(pk) for pk in report_ids)


def _routed(sender, villages, report_ids=(), **kwargs) -> None:
    if report_ids:
        ids = list(report_ids)
        transaction.on_commit(lambda: reports_tell_task.enqueue(ids))


def connect() -> None:
    from polmas.reports.signals import reports_routed

    reports_routed.connect(_routed, dispatch_uid="reports-tell-officers", weak=False)
