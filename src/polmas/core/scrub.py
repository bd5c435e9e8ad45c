"""What residents' text may say in public: contact details and names scrubbed, sensitive
matters recognised.

Every page and answer that publishes a resident's words (Open311 requests, the status page's
summary, a forum's "we heard, we acted" page) passes them through `scrub`; intake asks
`sensitive_text` whether a report in an ordinary category tells of a sealed matter, and
holds it for moderation if so. One module, in core, so that every room scrubs alike.

What `scrub` catches:
- phone numbers with a +62, 62, (0) or trunk 0 prefix, in groups separated by spaces, dots,
  dashes or brackets ("0812-3456-7890", "+62 812.3456.7890", "(0361) 555 123"), and numbers
  spelled out in Indonesian or English words, digits mixed in ("nol delapan satu dua ...",
  "zero eight one two ...", "0812 tiga empat ...");
- e-mail addresses, also with spaces around the @ or the dot ("budi@gmail .com") and
  obfuscated ("budi at gmail dot com", "budi [at] gmail [dot] com", "budi(at)gmail(dot)com",
  "budi di gmail titik com");
- NIK-like numbers: 16 digits, also in groups ("5108 0912 3456 0001"), and any run of ten
  digits or more (a number without its 0, a foreign number, a bank account);
- names where they can be recognised: the reporter's own name (given to `scrub`), a name after
  "nama saya", "saya bernama", "atas nama", "my name is", "I am", and a capitalised name after
  an honorific (Pak, Bu, Ibu, Bapak, Mas, Mbak, Bang, Kak, Sdr., Mr., Mrs., Ms. ...), unless
  it names an office ("Pak RT", "Bu Lurah").
What it does not catch: a bare name without such a cue ("Wayan bilang ..."), a number
without a prefix written in groups ("812 3456 7890"), addresses. Dates ("12.05.2025", "01-02-2023 20.30"),
street numbers ("No. 12") and amounts ("Rp 1.500.000") stay as they are.
"""

import re

from django.utils.translation import gettext as _

# --- phone numbers and NIK ---------------------------------------------------------------------

_SEP = r"[ \t.\-]"
_PHONE = re.compile(
    rf"""(?<![\w+])
    (?: (?:\+\s?|\(\+?)?62\)? {_SEP}? (?:\(0\){_SEP}?)? (?=[1-9])   # country code, maybe (0)
      | \(?0(?=[1-9]\d)                                         # trunk 0 (mobile 08.., area 021)
    )
    \d{{2,}}+\)?                                                # first group: 0812, 021, (0361)
    (?:{_SEP}?\d++)*+                                           # more groups, one separator each
    (?!\w)""", re.X)
# Possessive (++, *+): a run of digits is never split again into groups in every way there is,
# which took seconds for a few dozen digits followed by a letter.
# Ten digits or more in one run, whatever the prefix: a number without its 0, a foreign one,
# a bank account. (Amounts are written in groups, dates are shorter.)
_LONG_DIGITS = re.compile(r"(?<![\w+])\+?\d{10,}(?!\w)")
_NIK = re.compile(rf"(?<![\w+])\d(?:{_SEP}?\d){{15}}(?![\w])")
PHONE_DIGITS = (9, 15)  # fewer are dates and amounts; more are NIK or account numbers

_DIGIT_WORDS = {
    "nol": 1, "kosong": 1, "satu": 1, "dua": 1, "tiga": 1, "empat": 1, "lima": 1, "enam": 1,
    "tujuh": 1, "delapan": 1, "sembilan": 1, "zero": 1, "oh": 1, "one": 1, "two": 1, "three": 1,
    "four": 1, "five": 1, "six": 1, "seven": 1, "eight": 1, "nine": 1, "plus": 0,
}
_WORD_OR_DIGITS = rf"(?:{'|'.join(_DIGIT_WORDS)}|\d+)"
# Seven or more number words (or digit groups) in a row, separated by spaces, commas, dashes.
_SPELLED = re.compile(rf"\b{_WORD_OR_DIGITS}(?:[\s,.\-]+{_WORD_OR_DIGITS}){{6,}}\b", re.I)

# --- e-mail addresses --------------------------------------------------------------------------

# Possessive (++): a label is never given back letter by letter, which keeps a text without an
# address from being tried at every split of every word.
_LOCAL = r"[\w.+\-]++"
_LABEL = r"[\w\-]++"
_TLD = r"[A-Za-z]{2,10}"
# Spelled out, only a domain ending that addresses really have counts ("dewi di sari dot dewi"
# is a name and a place).
_KNOWN_TLD = r"(?:com|net|org|id|info|biz|me|io|edu|gov|co|ac|go|or|sch|web|my|mil)"
_AT_SIGN = r"\s*(?:@|[\[({<]\s*(?:at|@|et)\s*[\])}>])\s*"
_AT_WORD = r"\s+(?:at|et|di)\s+"
_DOT_ANY = r"\s*(?:\.|[\[({<]\s*(?:dot|titik|\.)\s*[\])}>]|\s(?:dot|titik)\s)\s*"
_DOT_WORD = r"(?:\.|\s*[\[({<]\s*(?:dot|titik|\.)\s*[\])}>]\s*|\s+(?:dot|titik)\s+)"
_EMAIL_CUES = ("@", " at ", " et ", " di ", "at)", "at]", "at}", "at>", "et)", "et]", "et}", "et>")
# With an @ (or a bracketed "at") the dots may be spaced; with a bare word "at" or "di" only a
# word or bracketed dot counts ("budi at gmail dot com"), not a full stop ("at home. Then").
_EMAIL = re.compile(
    rf"(?<![\w.+\-])(?:{_LOCAL}{_AT_SIGN}{_LABEL}(?:{_DOT_ANY}{_LABEL})*{_DOT_ANY}{_TLD}"
    rf"|{_LABEL}(?:{_DOT_WORD}{_LABEL})*{_AT_WORD}{_LABEL}(?:{_DOT_WORD}{_LABEL})*{_DOT_WORD}{_KNOWN_TLD})"
    rf"(?![\w@])", re.I)

# --- names -------------------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][a-z'’\-]+"
_NAMES = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_SELF = re.compile(rf"\b((?i:nama\s+saya|namaku|saya\s+bernama|atas\s+nama|my\s+name\s+is|i\s+am|i'm)"
                   rf"(?i:\s+(?:adalah|ialah))?:?\s+){_NAMES}")
_HONORIFIC = re.compile(
    r"\b(?=[A-Z])((?:Pak|Bu|Ibu|Bapak|Mas|Mbak|Mba|Bang|Abang|Kak|Kakak|Adik|Dik|Sdr|Sdri|Saudara|Saudari"
    rf"|Mr|Mrs|Ms|Miss|Haji|Hj|Tuan|Nyonya)\.?\s+)({_NAMES})")
# Offices and roles after an honorific: "Pak RT", "Bu Lurah" are not names.
_OFFICES = {"rt", "rw", "kades", "lurah", "camat", "kadus", "kapolsek", "kapolres", "bhabin",
            "polisi", "guru", "dokter", "bidan", "kepala", "ketua", "sekdes", "kaling", "klian",
            "bendesa", "babinsa", "satpam", "ustadz", "ustaz", "pendeta", "imam"}
_SELF_CUES = ("nama", "name", "i am", "i'm")
# "I am" is followed by many capitalised words that are not names.
_NOT_NAMES = {"indonesian", "muslim", "christian", "hindu", "not", "the", "a", "an", "here", "afraid"}


def _removed() -> str:
    return _("[removed]")


def _gone(match: re.Match[str]) -> str:
    return _removed()


def _phone(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = sum(c.isdigit() for c in found)
    return _removed() if PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1] else found


def _spelled(match: re.Match[str]) -> str:
    found = match.group(0)
    words = re.findall(_WORD_OR_DIGITS, found, re.I)
    count = sum(len(w) if w.isdigit() else _DIGIT_WORDS[w.lower()] for w in words)
    # Spelled digits only: plain digit groups are left to _PHONE, which knows dates.
    spelled = sum(1 for w in words if not w.isdigit())
    return _removed() if count >= PHONE_DIGITS[0] and spelled >= 3 else found


def _honorific(match: re.Match[str]) -> str:
    name = match.group(2)
    if name.split()[0].lower() in _OFFICES:
        return match.group(0)
    return match.group(1) + _removed()


def _self_named(match: re.Match[str]) -> str:
    rest = match.group(0)[len(match.group(1)):]
    if rest.split()[0].lower() in _NOT_NAMES:
        return match.group(0)
    return match.group(1) + _removed()


def _own_names(text: str, names: list[str]) -> str:
    lowered = text.lower()
    words = {w for n in names for w in re.findall(r"[^\W\d_]{3,}", n or "") if w.lower() in lowered}
    if not words:
        return text
    either = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.sub(rf"(?<!\w)(?:{either})(?!\w)", _gone, text, flags=re.I)


def _has_spelled_digits(lowered: str) -> bool:
    return sum(1 for w in re.split(r"[^a-z]+", lowered) if w in _DIGIT_WORDS) >= 3


def scrub(text: str, *, names: list[str] | None = None) -> str:
    """`text` with phone numbers, e-mail addresses, NIK-like numbers and recognisable names
    replaced by "[removed]"; `names`: the reporter's own name(s), scrubbed word by word."""
    if not text:
        return text
    lowered = text.lower()
    # Each pattern runs only where a cheap look says it could match: the listing scrubs
    # every request it publishes.
    if any(cue in lowered for cue in _EMAIL_CUES):
        text = _EMAIL.sub(_gone, text)
    if any(c.isdigit() for c in text):
        text = _NIK.sub(_gone, text)
        text = _PHONE.sub(_phone, text)
        text = _LONG_DIGITS.sub(_gone, text)
    if _has_spelled_digits(lowered):
        text = _SPELLED.sub(_spelled, text)
        text = _PHONE.sub(_phone, text)  # "0812 tiga empat ...": the digits left after the words
    text = _own_names(text, names or [])
    if any(cue in lowered for cue in _SELF_CUES):
        text = _SELF.sub(_self_named, text)
    return _HONORIFIC.sub(_honorific, text)


# --- sensitive matters -------------------------------------------------------------------------

# The sealed categories of the catalogue (reports.catalogue: domestic_violence, sexual_violence,
# child_abuse, trafficking) in the words residents use. Their SMS keywords are the start; the
# broad ones ("anak", "suami") only in phrases, so "anak hilang" or "suami saya kehilangan
# motor" is not held.
_SENSITIVE = re.compile(r"""\b(?:
    # domestic violence
    kdrt | kekerasan\s+dalam\s+rumah\s+tangga
  | (?:di)?pukul(?:i)?\s+(?:oleh\s+)?(?:suami|istri|isteri)
  | (?:memukul(?:i)?|menampar|menganiaya|menendang)\s+(?:istri|isteri)
  | (?:suami|istri|isteri)(?:ku|nya|\s+saya|\s+dia)?\s+(?:sering\s+|selalu\s+|lagi\s+)?
    (?:memukul|memukuli|menampar|menganiaya|menendang|mencekik)
  | (?:di)?tampar\s+(?:oleh\s+)?suami | dianiaya\s+(?:oleh\s+)?suami
  | domestic\s+(?:violence|abuse) | wife[\s-]beat\w*
  | (?:beaten|hit|beats?|abused)\s+(?:by\s+)?(?:my|her|his)\s+(?:husband|wife|partner)
  | (?:husband|partner)\s+(?:beats?|hits?|hit|abuses?|chokes?)
    # sexual violence
  | (?:di|mem|pem)?perkosa\w* | perkosaan | cabul | (?:pen|di|men)cabul\w*
  | pelecehan | dilecehkan | melecehkan | kekerasan\s+seksual | persetubuhan | rudapaksa
  | sextortion | revenge\s+porn | raped? | raping | rapist
  | sexual(?:ly)?\s+(?:assault\w*|abuse\w*|harass\w*|violence)
  | molest\w* | incest | inses
    # children
  | anak\s+di\s+bawah\s+umur | (?:kekerasan|penganiayaan|eksploitasi)\s+(?:terhadap\s+)?anak
  | (?:menganiaya|memukuli|menyiksa)\s+anak | anak\s+(?:di)?(?:aniaya|siksa)\w*
  | perkawinan\s+anak | pernikahan\s+(?:dini|anak)
  | child\s+(?:abuse|marriage|labou?r|exploitation) | underage | minors?\s+(?:abused|exploited)
    # trafficking
  | perdagangan\s+(?:orang|manusia|anak) | tppo | trafficking | trafficked
  | dijual\s+(?:ke|sebagai)\s+(?:luar\s+negeri|pekerja\s+seks|psk)
)\b""", re.I | re.X)


# Every alternative of _SENSITIVE contains one of these: a text with none (most reports) is
# answered without running it. Keep them in step.
_STEMS = ("kdrt", "kekerasan", "suami", "istri", "isteri", "domestic", "wife", "husband", "partner",
          "perkosa", "cabul", "leceh", "setubuh", "rudapaksa", "sextortion", "revenge", "rap",
          "sexual", "molest", "incest", "inses", "anak", "child", "underage", "minor", "perdagangan",
          "tppo", "traffick", "dijual", "pernikahan")


def sensitive_text(text: str) -> bool:
    """Whether `text` tells of domestic or sexual violence, harm to children or trafficking."""
    if not text:
        return False
    lowered = text.lower()
    return any(stem in lowered for stem in _STEMS) and _SENSITIVE.search(text) is not None
