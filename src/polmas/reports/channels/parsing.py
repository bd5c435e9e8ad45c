"""Reading free text from a cheap phone: command words, category keywords, village names,
numbered answers. Nothing here writes."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from polmas.regions import codes
from polmas.regions.models import Region
from polmas.regions.search import name_key
from polmas.regions.selectors import region_search
from polmas.reports.models import Category

MAX_CHOICES = 9
MAX_PLACE_WORDS = 5  # the last few "di ..." of a long text are tried, not every one
# Indonesian affixes around a keyword: "dicuri", "pencurian", "kecurian", "mencuri".
_PREFIXES = "di|ke|ter|ber|se|pe|pen|peng|pem|me|men|meng|mem"
_SUFFIXES = "an|kan|i|nya|lah"
# Words that introduce a place: "di Les", "desa Les", "kelurahan Kalibukbuk".
_PLACE_MARKERS = {"di", "desa", "ds", "kelurahan", "kel"}
# After a bare "di" these are places, not villages, even where a village bears the name
# ("di pura", "di kebun"): they are skipped, and a village is named after them or asked for.
_COMMON_PLACES = frozenset({
    "sini", "sana", "situ", "rumah", "jalan", "jln", "jl", "gang", "depan", "belakang", "samping",
    "sebelah", "dekat", "atas", "bawah", "dalam", "luar", "tengah", "ujung", "pinggir", "pasar",
    "sawah", "kebun", "ladang", "pantai", "laut", "sungai", "hutan", "gunung", "warung", "toko",
    "kantor", "sekolah", "masjid", "musholla", "gereja", "pura", "vihara", "klenteng", "lapangan",
    "jembatan", "simpang", "perempatan", "pertigaan", "terminal", "stasiun", "pelabuhan",
    "bandara", "kampung", "dusun", "banjar", "lingkungan", "rt", "rw", "kos", "kost", "kontrakan",
})
_NUMBER = re.compile(r"\s*(\d{1,3})\s*[.)]?\s*")


def fold(text: str) -> str:
    """Lower case ASCII words separated by single spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def split_command(text: str) -> tuple[str, str]:
    """("lapor", "curi motor di Les") for "LAPOR: curi motor di Les"; ("", text) without one."""
    match = re.match(r"\s*([A-Za-z]+)\b[\s:.,!-]*(.*)", text, re.DOTALL)
    if not match:
        return "", text.strip()
    return match.group(1).lower(), match.group(2).strip()


def number_of(text: str) -> int | None:
    match = _NUMBER.fullmatch(text)
    return int(match.group(1)) if match else None


def _word_matches(word: str, keyword: str) -> bool:
    if word == keyword:
        return True
    pattern = rf"(?:{_PREFIXES})?{re.escape(keyword)}(?:{_SUFFIXES})?"
    return len(keyword) >= 3 and re.fullmatch(pattern, word) is not None


def category_matches(text: str) -> list[Category]:
    """Active categories whose keywords occur in `text`. A keyword inside a longer keyword of
    another category ("hilang" in "orang hilang") gives way; "other" gives way to any."""
    words = fold(text).split()
    hits: list[tuple[int, int, Category]] = []
    for category in Category.objects.filter(active=True):
        for keyword in category.keyword_list():
            parts = fold(keyword).split()
            for i in range(len(words) - len(parts) + 1):
                if all(_word_matches(words[i + j], p) for j, p in enumerate(parts)):
                    hits.append((i, i + len(parts), category))
    kept = [h for h in hits if not any(
        o[2] != h[2] and o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0] for o in hits)]
    found: list[Category] = []
    for _start, _end, category in sorted(kept, key=lambda h: h[0]):
        if category not in found:
            found.append(category)
    if len(found) > 1:
        found = [c for c in found if c.code != "other"]
    return found


@dataclass
class Villages:
    """Villages a name may mean: the first MAX_CHOICES of `total`."""

    found: list[Region]
    total: int


def _villages() -> QuerySet[Region]:
    return Region.objects.filter(level=codes.VILLAGE).select_related("parent__parent")


def _narrow(qs: QuerySet[Region], words: list[str]) -> QuerySet[Region]:
    """Villages whose district, regency or province name holds the longest leading run of
    `words` that narrows anything; `qs` unchanged when none does."""
    for j in range(min(len(words), 4), 0, -1):
        key = name_key(" ".join(words[:j]))
        if not key:
            continue
        narrowed = qs.filter(Q(parent__name_key__contains=key) | Q(parent__parent__name_key__contains=key)
                             | Q(parent__parent__parent__name_key__contains=key))
        if narrowed.exists():
            return narrowed
    return qs


def _exact(words: list[str]) -> Villages | None:
    """Villages named by the longest leading run of `words` (commas stand alone); the words
    after the name narrow them down when they name the district, regency or province."""
    for k in range(min(len(words), 5), 0, -1):
        if "," in words[:k]:
            continue
        key = name_key(" ".join(words[:k]))
        if not key:
            continue
        qs = _villages().filter(name_key=key).order_by("code")
        if not qs.exists():
            continue
        qs = _narrow(qs, [w for w in words[k:] if w != ","])
        return Villages(found=list(qs[:MAX_CHOICES]), total=qs.count())
    return None


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\s,]+|,", text)[:60]


def villages_in_text(text: str) -> Villages | None:
    """Villages named after a place word ("... di Les"), exact names only: free text holds
    too many ordinary words for a fuzzy guess."""
    words = re.findall(r"[^\s,]+|,", text)
    markers = [i for i, word in enumerate(words) if fold(word) in _PLACE_MARKERS]
    for i in reversed(markers[-MAX_PLACE_WORDS:]):
        tail = words[i + 1:i + 12]
        while fold(words[i]) == "di" and tail and fold(tail[0]) in _COMMON_PLACES:
            tail = tail[1:]
        found = _exact(tail)
        if found is not None:
            return found
    return None


def villages_named(text: str) -> Villages:
    """Villages an answer to "which village?" names: "Les", "Les, Tejakula", "Les Tejakula",
    exactly or, failing that, by a spelling-tolerant search."""
    words = _tokens(text)[:10]
    found = _exact(words)
    if found is not None:
        return found
    name, _sep, qualifier = text.partition(",")
    fuzzy = region_search(query=name[:100], level=codes.VILLAGE, limit=MAX_CHOICES * 3)
    by_code = _villages().in_bulk([r.code for r in fuzzy])
    kept = [by_code[r.code] for r in fuzzy if r.code in by_code]
    if qualifier.strip():
        allowed = set(_narrow(_villages().filter(code__in=by_code), qualifier.split())
                      .values_list("code", flat=True))
        kept = [r for r in kept if r.code in allowed]
    return Villages(found=kept[:MAX_CHOICES], total=len(kept))


def village_label(village: Region) -> str:
    """"Les (Tejakula, Buleleng)": the name with its district and regency."""
    district = village.parent
    regency = district.parent if district else None
    where = [r.name.removeprefix("Kabupaten ").removeprefix("Kab. ") for r in (district, regency) if r]
    return f"{village.name} ({', '.join(where)})" if where else village.name
