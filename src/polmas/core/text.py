"""Text shortened for a title or a list: at a word boundary, with an ellipsis; and text for
fpdf2's built-in (Latin-1) fonts."""

import unicodedata

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
