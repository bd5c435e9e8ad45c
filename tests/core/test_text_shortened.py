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
