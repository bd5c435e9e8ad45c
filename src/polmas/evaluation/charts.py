"""The event-study chart as server-drawn SVG: effect in percent by month from the start, with
its 95% interval; months before the start in grey (the pre-trend), after in colour."""

from django.utils.html import escape
from django.utils.translation import gettext as _

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 260, 48, 12, 12, 36


def event_svg(event: list[dict], *, waves: bool = False) -> str:
    """``waves``: the periods are survey waves, not months."""
    pts = [e for e in event if e.get("pct") is not None]
    if not pts:
        return ""
    lows = [e.get("low_pct", e["pct"]) for e in pts if e.get("low_pct") is not None]
    highs = [e.get("high_pct", e["pct"]) for e in pts if e.get("high_pct") is not None]
    values = [e["pct"] for e in pts] + lows + highs + [0.0]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    lo, hi = lo - 0.05 * span, hi + 0.05 * span
    e0, e1 = min(e["e"] for e in pts), max(e["e"] for e in pts)
    def x(e):
        return PAD_L + (e - e0) / max(1, e1 - e0) * (W - PAD_L - PAD_R)

    def y(v):
        return PAD_T + (hi - v) / (hi - lo) * (H - PAD_T - PAD_B)

    title = (_("Effect by survey wave from the start, percent, with 95 percent intervals") if waves
             else _("Effect by month from the start, percent, with 95 percent intervals"))
    axis = _("survey waves from the start") if waves else _("months from the start")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" class="chart" '
           f'role="img" aria-labelledby="es-title"><title id="es-title">'
           f'{escape(title)}'
           f'</title>']
    out.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
               f'stroke="#555" stroke-width="1"/>')
    out.append(f'<line x1="{x(-0.5):.1f}" x2="{x(-0.5):.1f}" y1="{PAD_T}" y2="{H - PAD_B}" '
               f'stroke="#999" stroke-dasharray="4 3"/>')
    for v in (lo, (lo + hi) / 2, hi):
        out.append(f'<text x="{PAD_L - 4}" y="{y(v) + 4:.1f}" text-anchor="end" '
                   f'font-size="11">{v:.0f}%</text>')
    step = max(1, (e1 - e0) // 8)
    for e in range(e0, e1 + 1, step):
        out.append(f'<text x="{x(e):.1f}" y="{H - PAD_B + 14}" text-anchor="middle" '
                   f'font-size="11">{e}</text>')
    out.append(f'<text x="{(PAD_L + W) / 2:.0f}" y="{H - 4}" text-anchor="middle" '
               f'font-size="11">{escape(axis)}</text>')
    for e in pts:
        colour = "#888" if e["e"] < 0 else "#b5121b"
        cls = "pre" if e["e"] < 0 else "post"
        if e.get("low_pct") is not None and e.get("high_pct") is not None:
            out.append(f'<line class="ci {cls}" x1="{x(e["e"]):.1f}" x2="{x(e["e"]):.1f}" '
                       f'y1="{y(e["low_pct"]):.1f}" y2="{y(e["high_pct"]):.1f}" '
                       f'stroke="{colour}" stroke-width="1"/>')
        out.append(f'<circle class="point {cls}" cx="{x(e["e"]):.1f}" cy="{y(e["pct"]):.1f}" '
                   f'r="3" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)
