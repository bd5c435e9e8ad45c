"""A saved evaluation run as a PDF report: the estimate and its interval, the method, the
pre-trend test (and its warning), the fidelity of the programme, the parameters, the libraries'
versions and the hash of the panel read, so that a reader can rerun and check it.

Written in the active language with fpdf2's built-in Helvetica (no font file): text is reduced
to Latin-1, a character outside it prints as its base letter or "?", never fails the document.
"""

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from polmas.core.text import latin1
from polmas.evaluation.models import EvaluationRun, Outcome, Pool


def _latin1(text: object) -> str:
    return latin1("-" if text is None else text)


def _pct(value: object) -> str:
    return "-" if value is None else f"{float(value):+.1f}%"


def _share(value: object) -> str:
    return "-" if value is None else f"{100 * float(value):.0f}%"


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, _latin1(_("Page %(n)s") % {"n": self.page_no()}), align="C")


def run_pdf(run: EvaluationRun) -> bytes:
    """The report of `run` as PDF bytes (the caller checks that the run is in scope)."""
    r = run.result
    pdf = _Report(format="A4")
    pdf.set_title(_latin1(f"{_('Impact evaluation')}: {run.intervention.name}"))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(width, 7, _latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    def line(label: str, value: object) -> None:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(60, 6, _latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width - 60, 6, _latin1(value), align="L", new_x="LMARGIN", new_y="NEXT")

    def para(text: str, size: int = 10) -> None:
        pdf.set_font("Helvetica", "", size)
        pdf.multi_cell(width, 5.5, _latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(width, 8, _latin1(_("Impact evaluation")), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(width, 7, _latin1(run.intervention.name), align="L", new_x="LMARGIN", new_y="NEXT")
    para(f"{_('Run')} {run.pk}, "
         f"{timezone.localtime(run.created_at).strftime('%Y-%m-%d %H:%M %Z')}", 9)

    heading(_("Result"))
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(width, 6, _latin1(r.get("reading", "")), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    if r.get("pre_trend_failed"):
        pdf.set_fill_color(255, 243, 205)
        pdf.multi_cell(width, 5.5, _latin1(_(
            "Pre-trend test failed: before the start, the treated places and the comparison "
            "places were already moving apart. The estimate is shown but may be biased.")),
            fill=True, align="L", new_x="LMARGIN", new_y="NEXT")
    line(_("Estimate"), _pct(r.get("estimate_pct")))
    line(_("95 percent interval"), f"{_pct(r.get('ci_low_pct'))} ... {_pct(r.get('ci_high_pct'))}")
    line(_("Pre-trend test (p)"), "-" if r.get("pre_trend_p") is None
         else f"{r['pre_trend_p']:.3f}")
    line(_("Treated places"), r.get("n_treated"))
    pool = dict(Pool.choices).get(run.pool, run.pool)
    line(_("Comparison places"), f"{r.get('n_comparison')} ({pool})")
    line(_("Outcome"), dict(Outcome.choices).get(run.outcome, run.outcome))
    line(_("Months evaluated"), f"{run.period_from} - {run.period_to}")
    sc = r.get("synthetic_control")
    if sc:
        line(_("Synthetic control"),
             f"{_pct(sc.get('estimate_pct'))} (placebo p = {sc.get('placebo_p'):.3f}, "
             f"{sc.get('placebos')})")

    heading(_("Method"))
    para(_("Callaway and Sant'Anna staggered difference-in-differences (csdid): group-time "
           "effects by outcome regression, varying base period, aggregated over every month "
           "after each place's start. Effects in percent of the treated places' counterfactual "
           "mean."))
    if r.get("unit") == "regency":
        para(_("Survey indicator, regency level: one value per regency and survey wave, "
               "weighted by its answers. Change in percentage points: %(p)s (95 percent "
               "interval %(a)s to %(b)s).") % {
            "p": r.get("effect_points"), "a": r.get("ci_low_points"), "b": r.get("ci_high_points")})
    para(_("clustered by regency (wild cluster bootstrap)") if r.get("cluster_by") == "regency"
         else _("by village: too few treated regencies to cluster on"))
    if sc:
        para(_("Synthetic control (pysyncon) for one area with one start, with placebo-in-space "
               "inference."))

    heading(_("Effect by month from the start"))
    pdf.set_font("Helvetica", "B", 9)
    for text, w in ((_("Month"), 30), (_("Estimate"), 40), (_("95 percent interval"), 70)):
        pdf.cell(w, 6, _latin1(text), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for e in r.get("event") or []:
        pdf.cell(30, 5, str(e.get("e")), border=1)
        pdf.cell(40, 5, _pct(e.get("pct")), border=1)
        pdf.cell(70, 5, f"{_pct(e.get('low_pct'))} ... {_pct(e.get('high_pct'))}", border=1)
        pdf.ln()

    heading(_("Fidelity of the programme in the treated places"))
    cols = ((_("Village"), 34), (_("Officer's months in post"), 28), (_("Rotations"), 22),
            (_("Visits per month"), 26), (_("Meeting issues followed up"), 32),
            (_("Referrals completed"), 32))
    pdf.set_font("Helvetica", "B", 8)
    top = pdf.get_y()
    x = pdf.l_margin
    for text, w in cols:
        pdf.set_xy(x, top)
        pdf.multi_cell(w, 4, _latin1(text), border=0, align="L")
        x += w
    pdf.set_y(top + 9)
    pdf.set_font("Helvetica", "", 8)
    for f in r.get("fidelity") or []:
        values = (f.get("place"), f.get("tenure_months"), f.get("rotations"),
                  f.get("visits_per_month"), _share(f.get("issues_followed_share")),
                  _share(f.get("referrals_completed_share")))
        for (_label, w), v in zip(cols, values, strict=True):
            pdf.cell(w, 5, _latin1("-" if v is None else v), border=1)
        pdf.ln()
    split = r.get("fidelity_split")
    if split:
        high, low = split.get("high") or {}, split.get("low") or {}
        para(f"{_('Descriptive only, not a causal comparison:')} {_('high fidelity')} "
             f"{_pct(high.get('estimate_pct'))}, {_('low fidelity')} "
             f"{_pct(low.get('estimate_pct'))}.")

    heading(_("To rerun and check"))
    line(_("Data hash"), run.data_hash)
    line(_("Parameters"), json.dumps(run.parameters, sort_keys=True))
    line(_("Libraries"), ", ".join(f"{k} {v}" for k, v in sorted(run.versions.items())))
    return bytes(pdf.output())
