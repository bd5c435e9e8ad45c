"""Numbers shown rounded in the reader's format (core.text.rounded), where Django's
number_format cuts the decimals it does not show."""

import pytest
from django.utils import translation
from django.utils.formats import number_format

from polmas.core.text import rounded


@pytest.mark.parametrize(("value", "places", "grouping", "id_text", "en_text"), [
    (5.36, 1, False, "5,4", "5.4"),
    (0.96, 1, False, "1,0", "1.0"),
    (79.96, 0, False, "80", "80"),
    (2.25, 1, False, "2,3", "2.3"),  # half up, not to even (a float's 2.25 is exact)
    (1234.5, 0, True, "1.235", "1,235"),
    (-3.45, 1, False, "-3,5", "-3.5"),
    (12, 1, False, "12,0", "12.0"),
])
def test_rounded_in_each_language(value, places, grouping, id_text, en_text):
    with translation.override("id"):
        assert rounded(value, places, grouping=grouping) == id_text
    with translation.override("en"):
        assert rounded(value, places, grouping=grouping) == en_text


def test_django_alone_cuts_the_decimals():
    # Why the helper exists: this is what the alarm sentence said for 5.36 expected reports.
    with translation.override("id"):
        assert number_format(5.36, 1) == "5,3"


def test_not_a_number_is_shown_not_raised():
    assert rounded(float("nan"), 1) == "nan"
    assert rounded(float("inf"), 1) == "inf"
