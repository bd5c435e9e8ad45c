"""The disaster-mode form names its districts and villages: a district and a village of the
same name are told apart by words, not only by their codes."""

import re

import pytest

pytestmark = pytest.mark.django_db
TEJAKULA = "51.08.09"


def _options(body: str) -> dict[str, str]:
    select = body[body.index('name="prefix"'):]
    select = select[:select.index("</select>")]
    return dict(re.findall(r'<option value="([\d.]+)"[^>]*>([^<]*)</option>', select))


def test_district_and_village_choices_read_differently_without_codes(login):
    body = login("kapolsek").get("/kegiatan/bencana/", headers={"Accept-Language": "en"}).content.decode()
    options = _options(body)

    assert TEJAKULA in options
    words = {code: text.replace(code, "").strip(" ·()") for code, text in options.items()}
    assert len(set(words.values())) == len(words), "two places read the same without their codes"
    assert "Tejakula district" in words[TEJAKULA]
    assert words["51.08.09.2007"] == "Village Les"
    assert '<optgroup label="Tejakula district">' in body
