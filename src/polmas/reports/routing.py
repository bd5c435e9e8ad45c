"""Who receives a report: the village's Bhabinkamtibmas and FKPM; with no officer posted,
the Polsek supervisor (a coverage gap); for a sensitive category the officer and the PPA
officer in scope only, never the forum."""

from polmas.access.models import Role, RoleGrant
from polmas.core.scope import any_covers
from polmas.forums.models import Forum
from polmas.policing.models import Assignment, Jurisdiction
from polmas.policing.tree import unit_for_region
from polmas.regions import codes
from polmas.reports.models import Recipient, Report


def ppa_units_for(code: str) -> list[int]:
    """Units holding a PPA officer whose jurisdiction covers `code`."""
    prefixes = codes.ancestors(code) + [""]
    units = set(Jurisdiction.objects.filter(prefix__in=prefixes).values_list("unit_id", flat=True))
    return sorted(set(RoleGrant.objects.filter(role=Role.PPA_OFFICER, unit_id__in=units)
                      .values_list("unit_id", flat=True)))


def report_route(report: Report) -> list[Recipient]:
    """Create the report's inbox entries; marks a coverage gap. Called inside report_submit."""
    code = report.village_id
    recipients = []
    posting = Assignment.objects.filter(village_id=code, end__isnull=True).first()
    if posting:
        recipients.append(Recipient(report=report, why=Recipient.Why.OFFICER,
                                    officer_id=posting.officer_id))
    else:
        report.coverage_gap = True
        polsek = unit_for_region(code=code, kind="polsek")
        if polsek:
            recipients.append(Recipient(report=report, why=Recipient.Why.GAP, unit=polsek))
    if report.sensitive:
        recipients += [Recipient(report=report, why=Recipient.Why.PPA, unit_id=u)
                       for u in ppa_units_for(code)]
    else:
        for forum_id in Forum.objects.filter(village_id=code).exclude(
                status=Forum.Status.DISSOLVED).values_list("pk", flat=True):
            recipients.append(Recipient(report=report, why=Recipient.Why.FORUM, forum_id=forum_id))
    Recipient.objects.bulk_create(recipients)
    return recipients


def in_scope_of_unit(unit_prefixes: list[str], code: str) -> bool:
    return any_covers(unit_prefixes, code)
