"""A case opened without a title is named after its statement, cut at a word, not mid-word."""

import pytest

from .helpers import open_case

pytestmark = pytest.mark.django_db


def test_a_long_statement_gives_a_title_cut_at_a_word():
    statement = ("Sengketa saluran air antar tetangga berulang setiap musim kemarau di dusun kaja "
                 "dan sudah tiga kali berujung cekcok")
    case = open_case(statement=statement, title="")

    assert len(case.title) <= 80
    assert case.title.endswith("…")
    assert statement.startswith(case.title[:-1])
    assert statement[len(case.title) - 1] == " "  # the cut falls between two words
