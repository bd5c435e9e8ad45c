"""Name keys for typo- and spelling-tolerant region search.

Indonesian place names are written in several spellings: the pre-1972 one (Djokjakarta,
Soerabaja), informal short forms (Jogja), and with or without the administrative word
("Kabupaten", "Kota", "Desa"). A name key folds those differences away so that the same
fold applied to a query meets the stored names.
"""

import functools
import re
import unicodedata

_ADMIN_WORDS = re.compile(
    r"\b(provinsi|kabupaten|kab|kota|kecamatan|kec|desa|kelurahan|kel|daerah istimewa|di|dki)\b"
)
# Old (van Ophuijsen / Soewandi) spelling to modern, then fold letters that sound alike.
_OLD_SPELLING = [("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh")]
_SOUND_ALIKE = [("j", "y"), ("kh", "k"), ("dh", "d"), ("ph", "f"), ("q", "k"), ("x", "ks"), ("z", "s")]


_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=65536)  # village names repeat a lot (Sukamaju, Sidomulyo...)
def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = _ADMIN_WORDS.sub(" ", text)
    text = _NON_ALNUM.sub(" ", text)
    for old, new in _OLD_SPELLING + _SOUND_ALIKE:
        text = text.replace(old, new)
    text = _DOUBLED.sub(r"\1", text)  # doubled letters: "Yogyakarta" ~ "Jogjakarta"
    return " ".join(text.split())
