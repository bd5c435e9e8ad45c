"""Checking a questionnaire's answers against its version: every value on its scale, skip
logic applied, required items present. Nothing here writes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The skip logic we evaluate: `${item} = 'v'` / `!=`, joined by `and` / `or` (what the standard
# module and most field forms use). Anything else is taken as "asked" and not required.
TERM = re.compile(r"^\$\{([A-Za-z0-9_.-]+)\}\s*(=|!=)\s*'([^']*)'$")
MAX_TEXT = 500


def relevant(expr: str, answers: dict[str, str]) -> bool | None:
    """True/False when `expr` can be evaluated, None when it is of another kind."""
    expr = expr.strip()
    if not expr:
        return True
    if " or " in expr:
        parts = [relevant(p, answers) for p in expr.split(" or ")]
        return None if None in parts else any(parts)
    results = []
    for part in expr.split(" and "):
        m = TERM.match(part.strip())
        if not m:
            return None
        value = answers.get(m.group(1))
        results.append((value == m.group(3)) == (m.group(2) == "="))
    return all(results)


def _integer_bounds(constraint: str) -> tuple[int | None, int | None]:
    low = re.search(r"\.\s*>=\s*(-?\d+)", constraint)
    high = re.search(r"\.\s*<=\s*(-?\d+)", constraint)
    return (int(low.group(1)) if low else None, int(high.group(1)) if high else None)


def _check(item, value: str) -> str | None:
    """The reason `value` is refused for `item`, or None."""
    if item.kind == "select_one":
        allowed = [c["value"] for c in item.choices]
        if value not in allowed:
            return _("%(value)s is not on the scale (%(allowed)s)") % {
                "value": value[:20], "allowed": ", ".join(allowed)}
    elif item.kind == "integer":
        if not re.fullmatch(r"-?[0-9]{1,9}", value):  # ASCII digits only: \d takes others
            return _("must be a whole number")
        low, high = _integer_bounds(item.constraint)
        if (low is not None and int(value) < low) or (high is not None and int(value) > high):
            return _("must be between %(low)s and %(high)s") % {"low": low, "high": high}
    elif item.kind == "text" and (len(value) > MAX_TEXT or "\x00" in value):
        return _("must be text of at most %(n)s characters") % {"n": MAX_TEXT}
    return None


def answers_clean(items, raw: object, *, drop_unasked: bool = False) -> dict[str, str]:
    """The answers that count, as {name: value}; ValidationError naming each bad item.
    `drop_unasked`: answers to questions the skip logic leaves out are dropped, not refused
    (the web form without JavaScript shows every question)."""
    if not isinstance(raw, dict):
        raise ValidationError({"answers": [_("must be an object of item name to answer")]})
    by_name = {i.name: i for i in items}
    errors: dict[str, list[str]] = {}
    for name in raw:
        if name not in by_name:
            errors[f"answers.{str(name)[:40]}"] = [_("no such item in this survey")]
    clean: dict[str, str] = {}
    for item in items:
        if item.kind == "note":
            continue
        value = raw.get(item.name)
        value = "" if value is None else str(value).strip()
        asked = relevant(item.relevant, clean)
        if asked is False:
            if value and not drop_unasked:
                errors[f"answers.{item.name}"] = [_("is not asked given the earlier answers")]
            continue
        if not value:
            if item.required and asked:
                errors[f"answers.{item.name}"] = [_("is required")]
            continue
        reason = _check(item, value)
        if reason:
            errors[f"answers.{item.name}"] = [reason]
        else:
            clean[item.name] = value
    if errors:
        raise ValidationError(errors)
    return clean
