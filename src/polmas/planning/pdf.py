"""The road-map document as a PDF (fpdf2), in the active language.

As cases/pdf.py: fpdf2's built-in Helvetica, so no font file is fetched or shipped; text is
reduced to Latin-1 (a character outside it prints as "?", never fails the document).
"""


from django.utils.translation import gettext as _
from fpdf import FPDF

from polmas.core.text import latin1, rounded
from polmas.planning.document import Document


def _num(value: float | None, places: int = 1) -> str:
    return "-" if value is None else rounded(value, places)


def roadmap_pdf(doc: Document) -> bytes:
    """The road map of `doc` as PDF bytes (the caller checked access: build() did)."""
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(doc.title))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()

    def heading(text: str, size: int = 12) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def para(text: str, size: int = 9, style: str = "") -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def table(header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        pdf.set_font("Helvetica", "", 8)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5,
                       first_row_as_headings=True) as t:
            for cells in [header, *rows]:
                row = t.row()
                for cell in cells:
                    row.cell(latin1(cell))

    heading(doc.title, 15)
    para(_("Targets for %(year)s, progress from the rollups and a projection from the trend.")
         % {"year": doc.target_year})
    heading(_("Targets and progress"))
    table([_("Indicator"), _("Target"), _("Actual"), _("Projection (interval of 80 percent)"),
           _("Status")],
          [[r.label, _num(r.target) + (f" ({_('inherited')})" if r.target is not None
                                       and r.target_from != doc.code else ""),
            f"{_num(r.actual)} ({r.actual_year})" if r.actual is not None else "-",
            (f"{_num(r.projection.value)} ({_num(r.projection.low)}-{_num(r.projection.high)})"
             if r.projection else "-"), r.status_label] for r in doc.rows],
          (60, 25, 25, 45, 25))
    para(doc.rule, 8)
    if doc.mismatch:
        para(_("The targets of the regions below do not add up: weighted by villages they reach "
               "%(mean)s percent, against %(parent)s percent here.")
             % {"mean": doc.mismatch[1], "parent": doc.mismatch[0]}, 8, "B")
    heading(_("Milestones"))
    if doc.milestones:
        table([_("Due date"), _("Milestone"), _("Owner"), _("Status")],
              [[m.due.isoformat(), m.title,
                m.get_owner_display() + (f": {m.owner_name}" if m.owner_name else ""),
                m.get_status_display()] for m in doc.milestones], (22, 83, 45, 30))
    else:
        para(_("No milestones yet."))
    if doc.gaps:
        heading(_("Gaps ranked by need"))
        table([_("Village"), _("Need"), _("Reports"), _("Fear"), _("Distance (km)")],
              [[f"{g.name} ({g.code})" + (f" - {_('approximate location')}" if g.approximate else ""),
                _num(g.need, 2), str(g.reports),
                f"{g.fear_pct}%" if g.fear_pct is not None else "-",
                _num(g.distance_km) if g.distance_km is not None else "-"] for g in doc.gaps],
              (80, 20, 20, 25, 35))
    heading(_("Replication planner"))
    p = doc.proposal
    if p is None:
        para(_("No proposal has been computed for this region yet."))
    else:
        para(_("Latest proposal: %(name)s, k = %(k)s, d = %(d)s km.")
             % {"name": str(p), "k": p.k, "d": _num(p.d_km)})
        table([_("Need-weighted coverage today"), _("With this proposal"), _("Greedy baseline"),
               _("Largest optimality gap"), _("Officers moved")],
              [[_num(p.coverage_before, 4), _num(p.coverage_after, 4), _num(p.greedy_coverage, 4),
                _num(p.gap_max, 4), str(p.moved)]], (40, 35, 35, 40, 30))
        if doc.breaks:
            para(_("Today's postings of %(n)s officers break the plan's rules (k, d or the "
                   "Polsek's area); keeping only what the rules allow covers %(kept)s.")
                 % {"n": doc.breaks, "kept": _num(p.result.get("coverage_kept"), 4)}, 8)
    return bytes(pdf.output())
