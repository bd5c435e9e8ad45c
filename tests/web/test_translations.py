"""The catalogues: every message has an Indonesian translation, compiled and committed."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])


def po_entries(path: Path) -> list[dict[str, str]]:
    """(msgid, msgstr, flags) of a .po file, the header left out."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current and current["msgid"]:
                entries.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith("#~"):
            current["obsolete"] = "1"
        elif m := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) (".*")$', line):
            key = m.group(1).replace("[0]", "")
            current[key] = ast.literal_eval(m.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    return entries


ID_PO = LOCALE / "id" / "LC_MESSAGES" / "django.po"


def test_the_catalogues_are_committed_compiled():
    for lang in ("id", "en"):
        assert (LOCALE / lang / "LC_MESSAGES" / "django.po").is_file()
        assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").is_file()


def test_every_message_has_an_indonesian_translation():
    entries = po_entries(ID_PO)

    assert len(entries) > 200
    untranslated = [e["msgid"] for e in entries if not e.get("msgstr") and "obsolete" not in e]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_po_file():
    # A fresh machine without gettext uses the committed .mo: it must not be stale.
    with (ID_PO.with_suffix(".mo")).open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for e in po_entries(ID_PO):
        if "obsolete" in e or "msgctxt" in e:
            continue
        if "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"], e["msgid"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"], e["msgid"]


@pytest.mark.parametrize("english,indonesian", [
    ("Coverage", "Cakupan"),
    ("village", "desa"),
    ("Province command (Polda)", "Kepolisian Daerah (Polda)"),
    ("Wrong username or password.", "Nama pengguna atau kata sandi salah."),
])
def test_indonesian_is_the_default_and_english_is_the_identity(english, indonesian):
    assert settings.LANGUAGE_CODE == "id"
    with translation.override("id"):
        assert translation.gettext(english) == indonesian
    with translation.override("en"):
        assert translation.gettext(english) == english


@pytest.mark.parametrize("language,label", [("id", "- Pilih salah satu -"), ("tet", "- Hili ida -")])
def test_a_model_selects_empty_choice_is_in_the_readers_language(language, label):
    """Django 6.1 labels a model field's empty choice "- Select an option -", a message its own
    Indonesian catalogue does not yet have: without ours, every such select read English."""
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override(language):
        assert str(BLANK_CHOICE_LABEL) == label
