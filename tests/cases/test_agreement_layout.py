"""The mediation agreement reads like a village's surat kesepakatan perdamaian (issue 15, item 10):
the day named, a place to sign for every party beside a duty stamp, the witnesses, and the
mediators and the village head under "Mengetahui", each mediator's role printed once."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from cases.helpers import open_case, walk
from conftest import person
from polmas.cases import mediation
from polmas.cases.pdf import agreement_pdf

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2026, 11, 28)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def agreement(first: list[str], second: list[str], fkpm: list[str], held_on: dt.date = SATURDAY) -> str:
    case = walk(open_case(), "analysis")
    m = mediation.mediation_record(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                   held_on=held_on, place="Balai Banjar Les",
                                   terms="Pihak kedua memperbaiki saluran air.", first_parties=first,
                                   second_parties=second, fkpm_mediators=fkpm)
    return pdf_text(agreement_pdf(m))


def test_the_opening_names_the_day_of_the_week():
    text = agreement(["I Wayan Sudarma"], ["Ketut Rai"], [])
    assert "Pada hari ini Sabtu, tanggal 28 November 2026" in " ".join(text.split())
    assert "Kecamatan Tejakula" in text


def test_every_party_has_a_place_to_sign_with_a_duty_stamp():
    first = ["I Wayan Sudarma", "Ni Luh Sari", "Made Oka"]
    second = ["Ketut Rai"]
    text = agreement(first, second, ["Ni Ketut Sariasih"])
    for name in first + second:
        assert f"( {name} )" in text, name
    assert text.count("Meterai 10.000") == len(first) + len(second)
    assert "PIHAK PERTAMA (3)" in text


def test_witnesses_and_the_village_head_have_places_to_sign():
    text = agreement(["I Wayan Sudarma"], ["Ketut Rai"], ["Ni Ketut Sariasih"])
    assert "SAKSI-SAKSI" in text and "Saksi 1" in text and "Saksi 2" in text
    assert "MENGETAHUI" in text and "Kepala Desa/Lurah Les" in text


def test_a_mediators_role_is_printed_once_even_when_typed_into_the_name():
    text = agreement(["I Wayan Sudarma"], ["Ketut Rai"], ["Ni Ketut Sariasih (FKPM)", "Kadek Ari"])
    assert "(FKPM) (FKPM)" not in text and "(FKPM))" not in text and "(FKPM) )" not in text
    assert not re.search(r"\(Bhabinkamtibmas[^)]*\) \)", text)
    assert "( Ni Ketut Sariasih )" in text and "( Kadek Ari )" in text
    assert text.count("Ni Ketut Sariasih") == 2  # the list of mediators, and the place to sign


def test_a_long_list_of_parties_runs_onto_a_second_page_without_losing_a_signature():
    first = [f"Pihak Satu Nomor {i}" for i in range(1, 7)]
    second = [f"Pihak Dua Nomor {i}" for i in range(1, 7)]
    case = walk(open_case(), "analysis")
    m = mediation.mediation_record(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                   held_on=SATURDAY, place="Balai Banjar Les", terms="Damai.",
                                   first_parties=first, second_parties=second)
    reader = PdfReader(io.BytesIO(agreement_pdf(m)))
    assert len(reader.pages) >= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    for name in first + second:
        assert f"( {name} )" in text, name
