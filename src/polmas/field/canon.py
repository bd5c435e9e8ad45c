"""The content hash of a record's body, exactly as the field app makes it on the phone
(static/field/app.js: `sha(canon(body))`): SHA-256 of the UTF-8 of a canonical JSON text, with
object keys sorted as JavaScript sorts strings (by UTF-16 code units), no spaces, and every
value written as JavaScript's JSON.stringify writes it. Plain standard library, so that scripts
(bench/field_sync.py) hash as the server checks."""

import hashlib
import json
import math
import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _string(text: str) -> str:
    # JSON.stringify escapes ", \ and the control characters as Python does (\n, \u001f),
    # keeps every other character as it is, and writes a lone surrogate as a \u escape of
    # its four lowercase hex digits (U+DC80 as \udc80).
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _number(value: float) -> str:
    """JavaScript's Number.prototype.toString for a finite number (ECMA-262, Number::toString):
    the shortest digits that round-trip (as Python's repr), placed by JavaScript's rules."""
    if not math.isfinite(value):
        return "null"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _e, exponent = repr(abs(float(value))).partition("e")
    whole, _dot, fraction = mantissa.partition(".")
    everything = whole + fraction
    digits = everything.lstrip("0")
    # value = 0.digits x 10^n
    n = len(whole) + int(exponent or 0) - (len(everything) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


def canonical(value: object) -> str:
    """The canonical JSON text of a value parsed from JSON (dict, list, str, int, float, bool,
    None), as app.js's `canon` writes it."""
    if value is None or value is True or value is False:
        return json.dumps(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**21 else _number(float(value))
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: str(k).encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(_string(str(k)) + ":" + canonical(value[k]) for k in keys) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def body_hash(body: dict) -> str:
    """The hash the phone sends with a record: SHA-256 of canonical(body), UTF-8, lowercase hex."""
    return hashlib.sha256(canonical(body).encode("utf-8", "surrogatepass")).hexdigest()
