"""Text shortened for a title or a list: at a word boundary, with an ellipsis."""

ELLIPSIS = "…"


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
