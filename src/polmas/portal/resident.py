"""A logged-in resident's home: their village's Bhabinkamtibmas and how to reach them, its
FKPM, and the reports they sent. The officer's own phone number stays private (it is
encrypted at rest, like a reporter's): a resident reaches the officer through a report, which
goes to the officer's inbox, through the Polsek, or through the forum's meetings."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User

from polmas.analytics.selectors import resident_village
from polmas.forums.selectors import standing_forums
from polmas.policing.selectors import active_assignments
from polmas.portal.zones import shown
from polmas.reports.selectors import reports_mine

MY_REPORTS_SHOWN = 5


@dataclass
class ResidentHome:
    village: object
    officer: str = ""
    unit: str = ""
    forums: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    more_reports: bool = False


def resident_home(*, user: User) -> ResidentHome:
    """What the resident's home shows. Requires: a logged-in account; the village part needs
    a resident grant for a village."""
    village = resident_village(user=user)
    home = ResidentHome(village=village)
    if village is not None and village.is_village:
        posting = (active_assignments().filter(village_id=village.code)
                   .select_related("officer__unit").first())
        if posting is not None:
            officer = posting.officer
            home.officer = f"{officer.get_rank_display()} {officer.name}"
            home.unit = officer.unit.name
        home.forums = [{"pk": f.pk, "name": f.name, "place": f.meeting_place}
                       for f in standing_forums().filter(village_id=village.code).order_by("name")]
    mine = list(reports_mine(user=user)[:MY_REPORTS_SHOWN + 1])
    home.more_reports = len(mine) > MY_REPORTS_SHOWN
    home.reports = [{"report": r, "received": shown(r.created_at, r.village)}
                    for r in mine[:MY_REPORTS_SHOWN]]
    return home
