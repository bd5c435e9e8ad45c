"""Text shortened for a title or a list: at a word boundary, with an ellipsis; text for
fpdf2's built-in (Latin-1) fonts; and numbers rounded in the reader's format."""

import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

ELLIPSIS = "…"
# Typography Latin-1 lacks, written the way a typewriter would.
_PLAIN = str.maketrans({"\u2019": "'", "\u2013": "-", "\u2014": "-", "\u2192": "->", "\u2026": "..."})


def shortened(text: str, limit: int) -> str:
    """`text` with its white space collapsed, at most `limit` characters: cut at the last word
    boundary that fits (mid-word only for one word longer than half the limit), then "…"."""
    text = " ".join((text or "").split())
    if len(text) <= limit or limit < 2:
        return text[:max(limit, 0)]
    cut = text[:limit - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space >= limit // 2 else cut[:limit - len(ELLIPSIS)]
    return cut.rstrip(" ,.;:-–—") + ELLIPSIS


def latin1(text: object) -> str:
    """`text` (None: "") in Latin-1, for the PDFs' built-in Helvetica: typographic dashes,
    quotes and arrows written plainly, accents outside Latin-1 folded ("ā" to "a", "é" kept),
    anything else "?"."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text)).translate(_PLAIN)
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def rounded(value: float | int | Decimal, places: int = 0, *, grouping: bool = False) -> str:
    """`value` with `places` decimals in the active language's format ("5,4" in Indonesian,
    "5.4" in English), rounded half up. Django's number_format cuts the decimals it does not
    show instead (5.36 to one place is "5,3", 79.96 to none "79"), which a reader takes for
    a wrong figure; templates' floatformat rounds, so the two disagreed on one page."""
    if isinstance(value, float) and not math.isfinite(value):
        return number_format(value, force_grouping=grouping)
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(exact, decimal_pos=places, force_grouping=grouping)
