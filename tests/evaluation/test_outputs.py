"""A saved run as a PDF report (read back with pypdf), scope-checked like the HTML report; the
outcomes beyond report counts; a partner programme evaluated as an intervention (issue 18)."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from conftest import OUTSIDER, YEAR
from polmas.analytics.services import rollups_rebuild
from polmas.evaluation.models import EvaluationRun, Intervention
from polmas.evaluation.services import evaluate
from polmas.simulation import history

pytestmark = pytest.mark.django_db
KOTA = "34.71"  # Kota Yogyakarta: the planted district and its placebo, quick to build


@pytest.fixture
def kota_run() -> EvaluationRun:
    history.history_generate(provinces=[KOTA], year=YEAR, seed=5)
    rollups_rebuild()
    planted = Intervention.objects.get(slug="malioboro-uji")
    out = evaluate(intervention=planted, outcome="reports", prefixes=(KOTA,), seed=1, biters=99)
    return EvaluationRun.objects.get(pk=out["run"])


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_run_as_a_pdf_carries_what_it_takes_to_rerun_it(kota_run, login):
    client = login("bappenas")
    answer = client.get(f"/evaluasi/hasil/{kota_run.pk}/laporan.pdf",
                        headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert f'evaluasi-{kota_run.pk}.pdf' in answer["Content-Disposition"]
    text = pdf_text(answer.content)
    r = kota_run.result
    assert "Impact evaluation" in text and kota_run.intervention.name in text
    assert f"{r['estimate_pct']:+.1f}%" in text
    assert f"{r['ci_low_pct']:+.1f}% ... {r['ci_high_pct']:+.1f}%" in text
    assert "Callaway and Sant'Anna" in text
    assert f"{r['pre_trend_p']:.3f}" in text
    # The full hash, the libraries' versions and the parameters, for a rerun.
    assert kota_run.data_hash in text.replace("\n", "")
    assert f"csdid {kota_run.versions['csdid']}" in text
    assert '"seed": 1' in text and '"biters": 99' in text
    # The fidelity table: one row per treated village.
    for row in r["fidelity"]:
        assert row["place"] in text
    assert "Descriptive only" in text or not r.get("fidelity_split")


def test_the_pdf_names_a_failed_pre_trend(kota_run, login):
    kota_run.result = {**kota_run.result, "pre_trend_failed": True, "pre_trend_p": 0.001}
    kota_run.save()
    with translation.override("en"):
        client = login("bappenas")
        text = pdf_text(client.get(f"/evaluasi/hasil/{kota_run.pk}/laporan.pdf",
                                   headers={"Accept-Language": "en"}).content)
    assert "Pre-trend test failed" in text and "0.001" in text


def test_the_pdf_is_in_indonesian_by_default(kota_run, login):
    text = pdf_text(login("bappenas").get(f"/evaluasi/hasil/{kota_run.pk}/laporan.pdf").content)
    assert "Evaluasi dampak" in text or "evaluasi" in text.lower()


@pytest.mark.parametrize("username,status", [(OUTSIDER, 404), ("kapolda", 404),
                                             ("bhabin", 403), ("warga", 404)])
def test_the_pdf_is_scope_checked_like_the_html(kota_run, login, username, status):
    client = login(username)
    pdf = client.get(f"/evaluasi/hasil/{kota_run.pk}/laporan.pdf")
    html = client.get(f"/evaluasi/hasil/{kota_run.pk}/laporan.html")
    assert pdf.status_code == html.status_code == status
    assert b"%PDF" not in pdf.content
