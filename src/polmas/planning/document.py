"""The road-map document of one region and target year ("Peta Jalan Polmas Provinsi Bali
2026-2030"): targets, actuals, the projection with its interval and the status by the stated
rule, the milestones, the gaps ranked by need and the planner's latest proposal. One builder
feeds the HTML page and the PDF, in the request's language. Reads only."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.planning import planner, progress, selectors
from polmas.planning.models import Indicator, Milestone, Proposal
from polmas.regions import codes
from polmas.regions.models import Region

GAPS_IN_DOCUMENT = 15


def status_rule() -> str:
    # The very sentence of the road-map page (one msgid for both).
    return _("Status rule: on track when the trend's projection to the target year reaches the "
             "target; at risk when it falls short but the upper end of its prediction interval of "
             "80 percent reaches it; off track when even that falls short (reversed for the median "
             "days to resolve). Fewer than three years of figures: not enough data. A region "
             "without its own target inherits its parent's.")


@dataclass
class Document:
    code: str
    name: str
    title: str
    start_year: int
    target_year: int
    rows: list[progress.ProgressRow]
    mismatch: tuple[float, float] | None
    milestones: list[Milestone]
    gaps: list[planner.Need] = field(default_factory=list)
    proposal: Proposal | None = None
    breaks: int = 0
    rule: str = ""

    @property
    def code_arg(self) -> str:
        return self.code or "ID"


def place_name(code: str, name: str) -> str:
    if not code:
        return _("Indonesia")
    if codes.level_of(code) == codes.PROVINCE:
        return _("Province %(name)s") % {"name": name}
    if codes.level_of(code) == codes.DISTRICT:
        return _("District %(name)s") % {"name": name}
    return name


def build(*, user, code: str, target_year: int) -> Document | None:
    """The document of `code` ("" the country) for `target_year`; None when the caller may not
    open the region's road map or the region does not exist (404)."""
    if not selectors.may_open(user, code):
        return None
    name = Region.objects.filter(code=code).values_list("name", flat=True).first() if code else ""
    if code and name is None:
        return None
    start = timezone.localdate().year
    gaps = []
    if code and codes.level_of(code) >= codes.REGENCY:
        gaps = sorted((n for n in planner.needs_for(code).values() if not n.posted),
                      key=lambda n: (-n.need, n.code))[:GAPS_IN_DOCUMENT]
    proposal = selectors.proposal_list(user=user).filter(region_code=code).first()
    breaks = 0
    if proposal is not None:
        breaks = sum(len(d.get("breaks", [])) for d in proposal.result.get("districts", []))
    return Document(
        code=code, name=name or _("Indonesia"),
        title=_("Polmas road map: %(place)s %(start)s-%(end)s") % {
            "place": place_name(code, name or ""), "start": start, "end": target_year},
        start_year=start, target_year=target_year, rows=progress.progress(code, target_year),
        mismatch=progress.children_mismatch(code, Indicator.OFFICER_COVERAGE, target_year),
        milestones=list(selectors.milestones_for(user=user, code=code)), gaps=gaps,
        proposal=proposal, breaks=breaks, rule=status_rule())
