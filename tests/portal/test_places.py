"""Which village a typed name means: place_resolve."""

import pytest

from polmas.regions.models import Region
from polmas.regions.places import SHOWN, place_resolve

pytestmark = pytest.mark.django_db


def test_an_exact_name_is_taken_before_near_ones():
    place = place_resolve(text="  les ")

    assert place.village is not None and place.village.code == "51.08.09.2007"
    assert place.choices == [] and place.error == ""


def test_old_spelling_and_typos_still_find_the_village():
    assert place_resolve(text="Tedjakula").village.code == "51.08.09.2006"
    assert place_resolve(text="Penuktukan").village.code == "51.08.09.2008"


def test_a_shared_name_gives_choices_with_their_district_and_regency():
    place = place_resolve(text="Sidomulyo")

    assert place.village is None
    assert 1 < len(place.choices) <= SHOWN
    assert all(v.name == "Sidomulyo" for v in place.choices)
    first = place.choices[0]
    assert first.parent.level == 3 and first.parent.parent.level == 2


def test_more_matches_than_shown_are_flagged():
    assert Region.objects.filter(level=4, name="Sukamaju").count() > SHOWN

    assert place_resolve(text="Sukamaju").more is True


def test_the_words_after_commas_narrow_to_a_district_and_regency():
    village = Region.objects.select_related("parent__parent").filter(level=4, name="Sukamaju").first()
    assert village is not None

    place = place_resolve(text=f"Sukamaju, {village.parent.name}, {village.parent.parent.name}")

    assert place.village == village or village in place.choices


def test_a_village_code_is_taken_as_it_is():
    assert place_resolve(text="34.04.07.2001").village.name == "Caturtunggal"
    assert place_resolve(text="34.04.07").error == "Tidak ada desa dengan kode 34.04.07."


def test_a_choice_counts_only_among_the_matches():
    one = place_resolve(text="Sidomulyo").choices[1]

    assert place_resolve(text="Sidomulyo", choice=one.code).village == one
    assert place_resolve(text="Sidomulyo", choice="51.08.09.2007").village is None


@pytest.mark.parametrize("text,error", [
    ("", "Ketik nama desanya."),
    ("a", "Ketik paling sedikit dua huruf nama desa."),
    ("x" * 201, "Nama tempat lebih panjang dari 200 karakter."),
    ("Qwzxv", "Desa bernama “Qwzxv” tidak ditemukan. Periksa ejaannya, atau tambahkan kecamatannya "
              "setelah koma."),
])
def test_what_cannot_be_found_says_why(text: str, error: str):
    assert place_resolve(text=text).error == error
