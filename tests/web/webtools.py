"""Helpers for the page tests: read table rows out of the HTML, count coverage with the ORM."""

from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

from django.utils import translation
from django.utils.formats import number_format

from polmas.forums.models import Forum
from polmas.policing.models import Assignment
from polmas.regions.models import Region


class _Cells(HTMLParser):
    """Collects {row data-code: {data-col: text}} from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.row: str | None = None
        self.col: str | None = None
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-code"):
            self.row = a["data-code"]
            self.rows[self.row] = {}
        if self.col is not None:
            self.depth += 1
        elif self.row is not None and a.get("data-col"):
            self.col, self.depth, self.text = a["data-col"], 1, []

    def handle_endtag(self, tag: str) -> None:
        if self.col is not None:
            self.depth -= 1
            if self.depth == 0:
                assert self.row is not None
                self.rows[self.row][self.col] = " ".join("".join(self.text).split())
                self.col = None
        if tag == "tr":
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.col is not None:
            self.text.append(data)


def table(response) -> dict[str, dict[str, str]]:
    """Rows of the page's tables by data-code ("total" for the totals row)."""
    parser = _Cells()
    parser.feed(response.content.decode())
    return parser.rows


def under(prefix: str) -> str:
    return prefix + "." if prefix else ""


def expected(prefix: str) -> dict[str, int]:
    """Villages under `prefix`, those with an active Bhabinkamtibmas, those with a forum not
    dissolved: counted with startswith, independently of the selectors' range queries."""
    inner = prefix
    villages = Region.objects.filter(level=4, code__startswith=under(inner))
    officer = Assignment.objects.filter(end=None, village__code__startswith=under(inner))
    forum = Forum.objects.filter(village__code__startswith=under(inner)).exclude(status="dissolved")
    return {
        "villages": villages.count(),
        "with_officer": len(set(officer.values_list("village_id", flat=True))),
        "with_forum": len(set(forum.values_list("village_id", flat=True))),
    }


def fmt(n: float, digits: int | None = None, lang: str = "id") -> str:
    """A number as the page shows it in `lang`."""
    with translation.override(lang):
        return number_format(n, digits, force_grouping=True)


def pct(part: int, whole: int, lang: str = "id") -> str:
    """part/whole as the page shows it: one decimal, half up, never 100% short of whole."""
    shown = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if part < whole:
        shown = min(shown, Decimal("99.9"))
    return fmt(shown, 1, lang) + "%"
