"""The case page: the SARA stage and what the next one needs, as each role sees it."""

import pytest

from cases.helpers import open_case, walk
from cases_pages.conftest import body
from polmas.access.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_officer_sees_the_stage_and_what_analysis_needs(login):
    case = open_case()

    page = body(login("bhabin").get(f"/kasus/{case.pk}/"))

    assert f"{case.number} · {case.title}" in page
    assert 'data-stage="scanning"' in page and 'aria-current="step">scanning<' in page
    assert "Next, analysis: describe the problem triangle" in page
    assert case.statement in page
    assert f'action="/kasus/{case.pk}/analisis/"' in page  # the analysis form is offered
    assert f'name="version" value="{case.version}"' in page


def test_the_page_is_indonesian_by_default(client, login):
    case = open_case()
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE")

    page = body(login("bhabin").get(f"/kasus/{case.pk}/"))

    assert '<html lang="id">' in page and ">Keluar<" in page


def test_an_assessed_case_offers_the_close_form_and_shows_the_timeline(login):
    case = walk(open_case(), "assessment")

    page = body(login("bhabin").get(f"/kasus/{case.pk}/"))

    assert 'data-stage="assessment"' in page
    assert f'action="/kasus/{case.pk}/tutup/"' in page
    assert f'action="/kasus/{case.pk}/analisis/"' not in page  # no going back
    assert "Buat jadwal giliran air" in page and "Perbekel Les" in page
    assert page.count('<li data-kind="') == 4  # opened, analysis, response, assessment


def test_a_forum_member_reads_a_case_without_any_form(login):
    case = open_case()

    page = body(login("fkpm").get(f"/kasus/{case.pk}/"))

    assert case.statement in page
    assert "<form method=\"post\" action=\"/kasus/" not in page


@pytest.mark.parametrize("who", ["kapolsek_depok", "warga", "mitra"])
def test_people_outside_the_case_get_404(login, who):
    case = open_case()

    assert login(who).get(f"/kasus/{case.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    case = open_case()

    response = client.get(f"/kasus/{case.pk}/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- sealed cases ---------------------------------------------------------------------------

def test_the_assigned_officer_and_ppa_read_a_sealed_case(login, dv_case):
    for who in ("bhabin", "ppa"):
        page = body(login(who).get(f"/kasus/{dv_case.pk}/"))
        assert "KDRT berulang" in page and "Ni Made Korban" in page, who


@pytest.mark.parametrize("who", ["officer2", "fkpm", "warga", "kapolsek_depok"])
def test_everyone_else_gets_404_on_a_sealed_case(login, dv_case, officer2, who):
    assert login(who).get(f"/kasus/{dv_case.pk}/").status_code == 404


def test_a_supervisor_gives_a_reason_before_the_content_and_the_read_is_audited(login, dv_case):
    client = login("kapolsek")

    asked = body(client.get(f"/kasus/{dv_case.pk}/"))
    assert 'id="reason-form"' in asked and "KDRT" not in asked and "Ni Made Korban" not in asked
    empty = client.post(f"/kasus/{dv_case.pk}/", {"reason": "  "})
    assert empty.status_code == 400 and "KDRT" not in body(empty)
    assert not AuditEntry.objects.filter(action="case.read_sealed", object_id=str(dv_case.pk)).exists()

    given = client.post(f"/kasus/{dv_case.pk}/", {"reason": "Pemeriksaan penanganan KDRT"})
    assert given.status_code == 302 and given["Location"] == f"/kasus/{dv_case.pk}/"
    page = body(client.get(f"/kasus/{dv_case.pk}/"))

    assert "KDRT berulang" in page
    reads = AuditEntry.objects.filter(action="case.read_sealed", object_id=str(dv_case.pk))
    assert [e.reason for e in reads] == ["Pemeriksaan penanganan KDRT"]
    assert reads[0].actor.username == "kapolsek"


@pytest.mark.parametrize("path", ["/kasus/", "/kasus/{pk}/", "/kasus/baru/", "/kerja/"])
def test_the_pages_carry_no_inline_style_or_script_and_fit_a_phone(login, path):
    case = walk(open_case(), "response")

    page = body(login("bhabin").get(path.format(pk=case.pk)))

    assert " style=" not in page and "<style" not in page and "<script" not in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    if "<table" in page:
        assert '<div class="table-wrap" tabindex="0">' in page
