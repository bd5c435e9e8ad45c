"""Person: how a request names someone, and what counts as their record."""

import pytest
from django.core.exceptions import ValidationError

from polmas.core.persons import ERASED, Person


def test_both_spellings_of_a_number_are_the_same_person():
    person = Person.parse(phone="0812 3456 7890")
    assert person.phone == "+6281234567890"
    assert person.matches(phone="081234567890") and person.matches(phone="+6281234567890")
    assert not person.matches(phone="081234567891")


def test_a_name_counts_only_when_no_contact_is_given():
    assert not Person.parse(phone="081234567890", name="Siti").matches(name="Siti")
    assert Person.parse(name="  siti   AMINAH ").matches(name="Siti Aminah")


def test_the_e_mail_is_compared_without_case():
    assert Person.parse(email="Siti@Example.ID").matches(email="siti@example.id ")


@pytest.mark.parametrize("fields, field", [
    ({"phone": "12345"}, "phone"), ({"email": "not-an-address"}, "email"),
    ({"name": "x" * 151}, "name"), ({}, "phone"),
])
def test_a_bad_request_names_the_field(fields, field):
    with pytest.raises(ValidationError) as caught:
        Person.parse(**fields)
    assert field in caught.value.message_dict


def test_scrub_removes_every_spelling_and_the_name():
    person = Person.parse(phone="081234567890", name="Siti Aminah")
    text = person.scrub("Siti aminah (+6281234567890, 081234567890) melapor.")
    assert text == f"{ERASED} ({ERASED}, {ERASED}) melapor."


def test_the_audit_detail_names_the_identifiers_not_their_values():
    assert Person.parse(phone="081234567890", name="Siti").describe() == {"by": ["phone", "name"]}


def test_scrub_removes_a_short_name_as_a_word_and_leaves_the_words_it_stands_in():
    person = Person.parse(name="Ari")
    text = person.scrub("Kemarin hari Senin, Ari melapor; Bahari dan Sari juga. ari pulang.")
    assert text == f"Kemarin hari Senin, {ERASED} melapor; Bahari dan Sari juga. {ERASED} pulang."


def test_scrub_leaves_a_longer_number_that_holds_the_phone():
    person = Person.parse(phone="081234567890")
    assert person.scrub("Rekening 9081234567890 dan 081234567890.") == f"Rekening 9081234567890 dan {ERASED}."
