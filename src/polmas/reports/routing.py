"""Who receives a report: the village's Bhabinkamtibmas and FKPM; with no officer posted,
the Polsek supervisor (a coverage gap); for a sensitive category the officer and the PPA
officer in scope only, never the forum."""

from polmas.access.models import Role
from polmas.core.scope import any_covers
from polmas.regions import codes
from polmas.reports import lookups
from polmas.reports.models import Recipient


def ppa_units_for(code: str) -> list[int]:
    """Units holding a PPA officer whose jurisdiction covers `code`."""
    return lookups.ppa_units(codes.ancestors(code) + [""], role=Role.PPA_OFFICER)


def recipients_for(code: str, *, sensitive: bool) -> tuple[list[Recipient], bool]:
    """The inbox entries a report of village `code` gets (not yet tied to a report, not
    saved) and whether it is a coverage gap. Asked before the report is stored, so that it is
    written once and its recipients in one statement."""
    recipients = []
    officer, forums = lookups.posting_and_forums(code)
    gap = officer is None
    if officer is not None:
        recipients.append(Recipient(why=Recipient.Why.OFFICER, officer_id=officer))
    else:
        polsek = lookups.polsek_of(code)
        if polsek:
            recipients.append(Recipient(why=Recipient.Why.GAP, unit_id=polsek))
    if sensitive:
        recipients += [Recipient(why=Recipient.Why.PPA, unit_id=u) for u in ppa_units_for(code)]
    else:
        recipients += [Recipient(why=Recipient.Why.FORUM, forum_id=f) for f in forums]
    return recipients, gap


def in_scope_of_unit(unit_prefixes: list[str], code: str) -> bool:
    return any_covers(unit_prefixes, code)
