"""The SVG chart module and the figures computed from rollup counters, on their own."""

import xml.etree.ElementTree as ET

import pytest

from polmas.analytics import charts
from polmas.analytics.figures import Figures, median_days

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  our own output


def test_bars_draw_one_rect_per_value_with_its_title():
    root = parse(charts.bars("Trend <2025>", ["Jan", "Feb"], [charts.Series("a & b", [3, 0]),
                                                               charts.Series("c", [7, 1])]))
    assert root.find(f"{SVG}title").text == "Trend <2025>"  # escaped in the markup, intact when read
    bars = root.findall(f"{SVG}rect[@class='bar']")
    assert [(b.get("data-label"), b.get("data-value")) for b in bars] == [
        ("Jan", "3"), ("Jan", "7"), ("Feb", "0"), ("Feb", "1")]
    assert bars[0].find(f"{SVG}title").text == "Jan · a & b: 3"
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] > heights[0] > heights[3] > heights[2] == 0


def test_hbars_wrap_long_labels_whole_and_keep_them_in_the_title():
    long = "Disaster and post-disaster security"
    root = parse(charts.hbars("Mix", [(long, 10), ("Theft", 5)]))
    labels = root.findall(f"{SVG}text[@class='label']")
    lines = [t.text for t in labels[0].findall(f"{SVG}tspan")]
    assert len(lines) == 2 and " ".join(lines) == long  # wrapped between words, nothing cut
    assert root.findall(f"{SVG}rect[@class='bar']")[0].find(f"{SVG}title").text == f"{long}: 10"


LONG_CATEGORIES = [
    ("Kekerasan dalam rumah tangga (KDRT)", 40), ("Keamanan saat bencana dan pascabencana", 30),
    ("Perkelahian antarkelompok / antarkampung", 25), ("Pencurian", 20),
    ("Narkoba dan minuman keras oplosan di lingkungan sekolah", 10),
]


@pytest.mark.parametrize("width", [360, 640])
def test_no_category_label_is_clipped_at_the_left(width):
    """Issue 15, item 8: long category labels were cut off at the chart's left edge."""
    root = parse(charts.hbars("Mix", LONG_CATEGORIES, width=width))
    for label in root.findall(f"{SVG}text[@class='label']"):
        for span in label.findall(f"{SVG}tspan"):
            right = float(span.get("x"))
            assert right - charts.text_width(span.text, charts.LABEL_FONT) >= 0, span.text
    shown = [" ".join(t.text for t in label.findall(f"{SVG}tspan"))
             for label in root.findall(f"{SVG}text[@class='label']")]
    assert shown[:4] == [name for name, _ in LONG_CATEGORIES[:4]]


@pytest.mark.parametrize("names", [
    ["laporan", "masalah diangkat", "masalah diselesaikan"],
    ["reports", "problems raised", "problems resolved"],
    ["laporan warga yang masuk", "masalah yang diangkat ke kasus", "masalah yang diselesaikan"],
])
def test_the_trend_legend_never_overlaps_itself_or_leaves_the_chart(names):
    """Issue 15, item 8: the monthly trend's legend items ran into each other."""
    root = parse(charts.bars("Trend", ["Jan", "Feb"], [charts.Series(n, [1, 2]) for n in names]))
    width = float(root.get("viewBox").split()[2])
    boxes = []
    for t in root.findall(f"{SVG}text[@class='legend']"):
        x, y = float(t.get("x")), float(t.get("y"))
        boxes.append((x - 15, x + charts.text_width(t.text), y))
    assert len(boxes) == len(names)
    for i, (x0, x1, y) in enumerate(boxes):
        assert x0 >= 0 and x1 <= width, (t.text, x0, x1)
        for ox0, ox1, oy in boxes[i + 1:]:
            assert y != oy or ox0 >= x1 or ox1 <= x0  # same row: side by side, apart
    # The bars start below the legend.
    top = min(float(b.get("y")) for b in root.findall(f"{SVG}rect[@class='bar']"))
    assert top > max(y for _, _, y in boxes)


def test_colours_run_from_light_to_dark_and_grey_without_data():
    assert charts.colour_for(0, 0, 100) == charts.SCALE[0]
    assert charts.colour_for(100, 0, 100) == charts.SCALE[-1]
    assert charts.colour_for(None, 0, 100) == charts.NO_DATA


@pytest.mark.parametrize("histogram, expected", [
    ([0] * 14, None),
    ([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5),  # both under a day: the middle of [0, 1)
    ([0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4.0),  # all in [3, 5): halfway
    ([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 180.0),  # most in the open last bucket
])
def test_the_median_days_come_from_the_histogram(histogram, expected):
    assert median_days(histogram) == expected


def test_rates_and_means_need_something_to_divide():
    f = Figures.from_sums({"closed_mediation": 3, "closed_action": 1, "closed_not_resolved": 4,
                           "resolve_n": 4, "resolve_hours": 96.0, "cases_opened": 9})
    assert (f.resolved, f.closed, f.raised) == (4, 8, 9)
    assert f.rate == 50.0 and f.mean_days == 1.0
    assert Figures().rate is None and Figures().median_days is None and Figures().officer_pct is None
