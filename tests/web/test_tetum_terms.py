"""Tetum terms are used consistently across the catalogue (issue 21):
- "ronda" is the rotating-security roster alone (eskala ronda, ronda kalan); a survey's wave
  is "faze", never "ronda";
- a supervisor is "superiór", never "supervizór".

The corrections are in the lead's hands (the helpers write /work/wt/notes/h25-tet.json; the
lead applies it to the catalogue): until then this test names the entries still to fix."""

import re
from pathlib import Path

from django.conf import settings

from web.test_translations import po_entries

TET_PO = Path(settings.LOCALE_PATHS[0]) / "tet" / "LC_MESSAGES" / "django.po"


def _live():
    return [e for e in po_entries(TET_PO) if e.get("msgstr") and not e.get("obsolete")]


def test_a_survey_wave_is_faze_and_ronda_is_the_roster():
    waves = [e for e in _live() if re.search(r"\bwaves?\b", e["msgid"], re.I)]
    assert len(waves) >= 10  # the surveys' pages speak of waves
    wrong = [(e["msgid"], e["msgstr"]) for e in waves if re.search(r"\bronda", e["msgstr"], re.I)]
    assert not wrong, f"a wave called 'ronda' (the security roster's word): {wrong}"
    assert all(re.search(r"\bfaze", e["msgstr"], re.I) for e in waves), [
        (e["msgid"], e["msgstr"]) for e in waves if not re.search(r"\bfaze", e["msgstr"], re.I)]
    rosters = [e for e in _live() if re.search(r"\brosters?\b", e["msgid"], re.I)]
    assert rosters and all("ronda" in e["msgstr"].lower() for e in rosters), [
        (e["msgid"], e["msgstr"]) for e in rosters if "ronda" not in e["msgstr"].lower()]


def test_a_supervisor_is_superior_throughout():
    entries = [e for e in _live() if re.search(r"\bsupervisors?\b", e["msgid"], re.I)]
    assert len(entries) >= 5
    wrong = [(e["msgid"], e["msgstr"]) for e in entries if "supervizór" in e["msgstr"].lower()]
    assert not wrong, f"'supervizór' where the catalogue says 'superiór': {wrong}"
