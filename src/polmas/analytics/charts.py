"""Server-rendered SVG charts: grouped monthly bars, horizontal category bars and a dot map.
Presentation attributes only (no style attributes, which the CSP would block); every bar
carries a <title> with its exact value, so the chart reads without a tooltip script."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from polmas.core.text import rounded

PALETTE = ["#123a6b", "#2e8540", "#b3261e", "#c77c02", "#6b4fa0"]
SCALE = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"]  # light to dark
NO_DATA = "#cccccc"


@dataclass
class Series:
    name: str
    values: Sequence[float]


def _num(v: float) -> str:
    return rounded(v, 0 if float(v).is_integer() else 1, grouping=True)


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1
    step = 10 ** (len(str(int(v))) - 1)
    return ((int(v) // step) + 1) * step


def _svg(title: str, width: int, height: int, body: list[str], kind: str) -> SafeString:
    return mark_safe(  # noqa: S308  every text inside is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{kind}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>")


# Text widths are estimated, not measured (no font metrics on the server): a generous width
# per character at the chart's font size, so that what is laid out side by side never touches.
CHAR_EM = 0.62
LEGEND_FONT = 10.5
LEGEND_ROW = 16


def text_width(text: str, size: float = LEGEND_FONT) -> float:
    """The estimated width of `text` at font `size` (an upper bound for the chart's fonts)."""
    return len(text) * size * CHAR_EM


def legend_layout(names: Sequence[str], width: int) -> list[tuple[float, float]]:
    """(x, y) of each legend item (a 12-px swatch then its name): side by side while they fit,
    wrapped onto a new row when the next would cross the right edge."""
    out: list[tuple[float, float]] = []
    x, y = 4.0, 6.0
    for name in names:
        item = 15 + text_width(name) + 12
        if x > 4.0 and x + item > width:
            x, y = 4.0, y + LEGEND_ROW
        out.append((x, y))
        x += item
    return out


def bars(title: str, labels: Sequence[str], series: Sequence[Series], width: int = 360,
         height: int = 220) -> SafeString:
    """Grouped vertical bars: one group per label (e.g. month), one bar per series; the
    legend above wraps onto as many rows as it needs."""
    places = legend_layout([s.name for s in series], width)
    legend_h = (places[-1][1] if places else 6) + LEGEND_ROW
    left, right, top, bottom = 36, 4, int(legend_h) + 6, 22
    height += top - 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    body = []
    for i in range(5):  # grid and axis values
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde3"/>'
                    f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
                    f'fill="#5b6470">{escape(_num(value))}</text>')
    for gi, label in enumerate(labels):
        x0 = left + gi * group_w + group_w * 0.1
        body.append(f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{height - 8}" '
                    f'text-anchor="middle" font-size="10" fill="#1b1f24">{escape(label)}</text>')
        for si, s in enumerate(series):
            v = s.values[gi]
            h = plot_h * v / top_value
            body.append(
                f'<rect class="bar" data-series="{si}" data-label="{escape(label)}" data-value="{v}" '
                f'x="{x0 + si * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}">'
                f"<title>{escape(label)} · {escape(s.name)}: {escape(_num(v))}</title></rect>")
    for si, (s, (x, y)) in enumerate(zip(series, places, strict=True)):  # legend
        colour = PALETTE[si % len(PALETTE)]
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{colour}"/>'
                    f'<text class="legend" x="{x + 15:.1f}" y="{y + 10:.1f}" font-size="{LEGEND_FONT}" '
                    f'fill="#1b1f24">{escape(s.name)}</text>')
    return _svg(title, width, height, body, "bars")


def wrap(label: str, chars: int, lines: int = 2) -> list[str]:
    """`label` in at most `lines` lines of at most `chars` characters, broken between words;
    only a last line that still does not fit ends in "…"."""
    words, out, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > chars:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines - 1] + [" ".join(out[lines - 1:])]
    return [w if len(w) <= chars else w[: chars - 1] + "…" for w in out]


LABEL_FONT = 10.5


def hbars(title: str, items: Sequence[tuple[str, float]], width: int = 360, row: int = 20) -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given. The label column is as
    wide as the labels need, up to half the chart; a longer label wraps onto a second line
    (the bar's title gives it in full). Every label starts inside the chart: none is cut at
    the left edge."""
    right = 40
    chars = max(8, int((width / 2 - 10) / (LABEL_FONT * CHAR_EM)))
    wrapped = [wrap(label, chars) for label, _ in items]
    widest = max((text_width(line, LABEL_FONT) for lines in wrapped for line in lines), default=0)
    label_w = int(min(width / 2, widest + 10))
    tall = [row + (len(lines) - 1) * 12 for lines in wrapped]
    height = max(sum(tall) + 8, row + 8)
    top_value = max((v for _, v in items), default=0) or 1
    body = []
    y = 4.0
    for (label, v), lines, h in zip(items, wrapped, tall, strict=True):
        w = (width - label_w - right) * v / top_value
        first = y + h / 2 - (len(lines) - 1) * 6 + 3.5
        spans = "".join(f'<tspan x="{label_w - 6}" y="{first + i * 12:.1f}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        body.append(
            f'<text class="label" text-anchor="end" font-size="{LABEL_FONT}" fill="#1b1f24">{spans}</text>'
            f'<rect class="bar" data-label="{escape(label)}" data-value="{v}" x="{label_w}" '
            f'y="{y + h / 2 - (row - 6) / 2:.1f}" width="{w:.1f}" height="{row - 6}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {escape(_num(v))}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + h / 2 + 3.5:.1f}" font-size="{LABEL_FONT}" '
            f'fill="#5b6470">{escape(_num(v))}</text>')
        y += h
    return _svg(title, width, height, body, "hbars")


def colour_for(value: float | None, low: float, high: float) -> str:
    """A colour of the sequential scale for `value` between `low` and `high`."""
    if value is None:
        return NO_DATA
    if high <= low:
        return SCALE[-1]
    i = int((value - low) / (high - low) * len(SCALE))
    return SCALE[min(max(i, 0), len(SCALE) - 1)]


def dots(title: str, points: Sequence[tuple[float, float, str, str]], width: int = 640,
         height: int = 360, names: Sequence[str] | None = None) -> SafeString:
    """A dot map of (longitude, latitude, colour, label), fitted to the points, each dot
    named beside it (`names`): the map as drawn without JavaScript (Leaflet takes over when
    scripts run)."""
    body = ['<rect x="0" y="0" width="100%" height="100%" fill="#eef3f8"/>']
    if points:
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        pad = 0.05
        x0, x1 = min(lons) - pad, max(lons) + pad
        y0, y1 = min(lats) - pad, max(lats) + pad
        scale = min((width - 20) / (x1 - x0), (height - 20) / (y1 - y0))
        for i, (lon, lat, colour, label) in enumerate(points):
            x = 10 + (lon - x0) * scale
            y = height - 10 - (lat - y0) * scale
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#1b1f24" '
                        f'stroke-width="0.8"><title>{escape(label)}</title></circle>')
            if names:
                anchor = "end" if x > width * 0.75 else "start"
                dx = -9 if anchor == "end" else 9
                body.append(f'<text class="place" x="{x + dx:.1f}" y="{y + 3.5:.1f}" font-size="10" '
                            f'text-anchor="{anchor}" fill="#1b1f24" stroke="#ffffff" stroke-width="2.5" '
                            f'paint-order="stroke">{escape(names[i])}</text>')
    return _svg(title, width, height, body, "dots")
