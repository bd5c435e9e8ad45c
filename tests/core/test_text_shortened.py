"""core.text.shortened: titles and list texts are cut at a word boundary, with an ellipsis."""

from polmas.core.text import shortened


def test_a_short_text_stays_whole():
    assert shortened("  Motor  hilang ", 80) == "Motor hilang"


def test_it_cuts_at_a_word_and_marks_the_cut():
    text = "Sepeda motor hilang dari depan warung semalam, pelaku dua orang"
    out = shortened(text, 30)
    assert out == "Sepeda motor hilang dari…"
    assert len(out) <= 30
    assert text.startswith(out[:-1])


def test_one_long_word_is_cut_within_the_limit():
    out = shortened("x" * 100, 20)
    assert out == "x" * 19 + "…"


def test_latin1_writes_typography_plainly_folds_accents_and_replaces_the_rest():
    """The PDFs' one folding (mediation agreement, evaluation report, road map): each had its
    own copy, and the agreement's printed an em dash as "?"."""
    from polmas.core.text import latin1

    assert latin1("Ni Ketut’s — 1–2 → next…") == "Ni Ketut's - 1-2 -> next..."
    assert latin1("Désa Ā 东") == "Désa A ?"
    assert latin1(None) == "" and latin1(12) == "12"
    latin1("Désa Ā 东 — ’").encode("latin-1")  # never raises
