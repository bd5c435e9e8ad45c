"""The road-map document (HTML and PDF, Indonesian and English) and the map of a proposal."""

import datetime as dt
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from conftest import OUTSIDER, person
from polmas.planning import document, services
from polmas.planning.models import Target

pytestmark = pytest.mark.django_db
TEJAKULA = "51.08.09"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def roadmap():
    year = dt.date.today().year + 3
    services.target_set(actor=person("bappenas"), region="51", indicator="officer_coverage",
                        year=year, value=87.5)
    services.milestone_save(actor=person("bappenas"), region="51.08", title="Pelatihan gelombang 2",
                            owner="polda", due=dt.date(year, 3, 1))
    services.proposal_create(actor=person("kapolres"), region="51.08", k=3, d_km=5)
    return year


def test_the_html_document_holds_targets_progress_milestones_gaps_and_the_proposal(login, roadmap):
    with translation.override("en"):
        r = login("kapolres").get(f"/rencana/wilayah/51.08/peta-jalan/?year={roadmap}",
                                  HTTP_ACCEPT_LANGUAGE="en")
        rule = document.status_rule()
    html = r.content.decode()
    assert r.status_code == 200, html
    assert f"-{roadmap}</h1>" in html and "Polmas road map:" in html
    assert "87.5" in html and "(inherited)" in html  # Bali's target, inherited by Buleleng
    assert 'id="status-rule"' in html and rule in html.replace("&#x27;", "'")
    assert "Pelatihan gelombang 2" in html
    assert 'id="doc-gaps"' not in html  # every Buleleng village has an officer today
    assert "k = 3, d = 5.0 km" in html
    assert "Today's postings of 3 officers break the plan's rules" in html
    # The same status-rule sentence as the road-map page (one msgid, one translation).
    page = login("kapolres").get("/rencana/wilayah/51.08/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert rule in page.replace("&#x27;", "'")


def test_the_pdf_comes_in_indonesian_and_in_english(login, roadmap):
    client = login("kapolda")
    r = client.get(f"/rencana/wilayah/51/peta-jalan.pdf?year={roadmap}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    text = _pdf_text(r.content)
    # Indonesian by default: the words already translated, the decimal comma. (The new
    # msgids, such as the title's, read in Indonesian once the lead compiles h23-id.json.)
    assert f"-{roadmap}" in text and "Perencana replikasi" in text
    assert "87,5" in text and "Pelatihan gelombang 2" in text
    with translation.override("en"):
        r = client.get(f"/rencana/wilayah/51/peta-jalan.pdf?year={roadmap}", HTTP_ACCEPT_LANGUAGE="en")
    text = _pdf_text(r.content)
    assert "Polmas road map: Province" in text and "Milestones" in text and "87.5" in text


def test_the_document_is_refused_outside_scope(login, roadmap):
    assert login(OUTSIDER).get("/rencana/wilayah/51.08/peta-jalan/").status_code == 404
    assert login(OUTSIDER).get("/rencana/wilayah/51.08/peta-jalan.pdf").status_code == 404
    assert login("bhabin").get("/rencana/wilayah/51.08/peta-jalan/").status_code == 404
    assert login("admin").get("/rencana/wilayah/99.99/peta-jalan/").status_code == 404
    # A bad year falls back to 2030 rather than failing.
    assert login("admin").get("/rencana/wilayah/51/peta-jalan/?year=abc").status_code == 200
    assert Target.objects.filter(region_code="51").count() == 1  # a GET wrote nothing


def test_the_map_marks_villages_kept_lost_and_new(login):
    proposal = services.proposal_create(actor=person("kapolsek"), region=TEJAKULA, k=3, d_km=8)
    with translation.override("en"):
        r = login("kapolsek").get(f"/rencana/usulan/{proposal.pk}/peta/", HTTP_ACCEPT_LANGUAGE="en")
    html = r.content.decode()
    assert r.status_code == 200 and 'data-chart="dots"' in html
    planned = {v for p in proposal.result["postings"] for v in p["villages"]}
    lost = {v for c in proposal.result["changes"] for v in c["before"]} - planned
    assert lost, "k = 3 trims the demo's postings"
    red = 'fill="#b3261e" stroke="#1b1f24" stroke-width="0.8"><title>'  # today, not in the plan
    assert html.count(red) == len(lost)
    assert f"covered today, not in the plan: <strong>{len(lost)}</strong>" in html
    assert login(OUTSIDER).get(f"/rencana/usulan/{proposal.pk}/peta/").status_code == 404


def test_the_map_of_a_national_proposal_is_not_drawn(login):
    from polmas.planning.models import Proposal

    p = Proposal.objects.create(region_code="", k=1, d_km=5, move_penalty=1, fingerprint="x",
                                result={"postings": [], "changes": [], "districts": []},
                                coverage_before=0.5, coverage_after=0.5, greedy_coverage=0.5,
                                gap_max=0)
    r = login("admin").get(f"/rencana/usulan/{p.pk}/peta/")
    assert r.status_code == 200
    assert 'id="map-too-many"' in r.content.decode() and 'data-chart="dots"' not in r.content.decode()
