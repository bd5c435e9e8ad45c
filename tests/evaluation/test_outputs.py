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


def test_days_to_resolve_is_the_median_per_village_month_and_gaps_leave_the_village_out():
    from polmas.analytics.figures import median_days
    from polmas.analytics.models import MonthlyFigures
    from polmas.evaluation.panel import panel_build
    from polmas.regions.models import Region

    villages = list(Region.objects.villages().under("34.71.01").order_by("code")
                    .values_list("code", flat=True))[:6]
    rows = []
    for i, code in enumerate(villages):
        for month in (209901, 209902, 209903):  # months no other data reaches
            if i == len(villages) - 1 and month == 209902:
                continue  # no case closed that month: this village has a gap
            rows.append(MonthlyFigures(level=4, prefix=code, month=month, resolve_n=4,
                                       resolve_d2=1 + i, resolve_d5=3))
    MonthlyFigures.objects.bulk_create(rows)
    import datetime as dt

    panel = panel_build(outcome="days_to_resolve", starts={villages[0]: dt.date(2099, 2, 1)},
                        area=["34.71.01"], first=209901, last=209903, only=set(villages))
    assert panel.incomplete == 1
    assert len(villages) >= 4
    assert sorted(panel.frame["place"].unique()) == villages[:-1]
    histogram = [0] * 14
    histogram[2], histogram[5] = 3, 3
    got = panel.frame[(panel.frame["place"] == villages[2]) & (panel.frame["month"] == 209903)]
    assert got["y"].tolist() == [median_days(histogram)]


def test_an_outcome_with_too_little_data_is_refused_naming_it(kota_run):
    from polmas.evaluation.services import EvaluationError

    planted = Intervention.objects.get(slug="malioboro-uji")
    before = EvaluationRun.objects.count()
    with pytest.raises(EvaluationError) as exc, translation.override("en"):
        # The history has reports only: hardly a village closes a case every month.
        evaluate(intervention=planted, outcome="days_to_resolve", prefixes=(KOTA,), biters=9)
    assert exc.value.field == "outcome"
    assert str(exc.value.reason).startswith("Too little data for this outcome")
    assert EvaluationRun.objects.count() == before


def _programme(planted: Intervention):
    from polmas.partners.models import Organisation, Programme
    from polmas.regions.models import Region

    treated = sorted(p.region_code for p in planted.places.all())
    start = planted.places.first().start
    org = Organisation.objects.create(name="Yayasan Uji Evaluasi",
                                      kind=Organisation.Kind.values[0])
    programme = Programme.objects.create(
        organisation=org, name="Program Malioboro bersama mitra", objectives="Uji.",
        starts_on=start, ends_on=start.replace(year=start.year + 5))
    programme.places.set(Region.objects.filter(code__in=treated))
    others = Region.objects.villages().under(KOTA).exclude(code__in=treated).order_by("code")
    comparison = list(others.values_list("code", flat=True))[::2]
    programme.comparison.set(Region.objects.filter(code__in=comparison))
    return programme, treated, comparison


def test_a_partner_programme_is_evaluated_against_its_own_comparison(kota_run, login):
    programme, treated, comparison = _programme(kota_run.intervention)
    # Outside the programme's area: 404; an officer who does not evaluate: 403; nothing made.
    assert login(OUTSIDER).post(f"/evaluasi/program/{programme.pk}/").status_code == 404
    assert login("bhabin").post(f"/evaluasi/program/{programme.pk}/").status_code == 403
    assert not Intervention.objects.filter(slug=f"program-{programme.pk}").exists()
    client = login("bappenas")
    # The programme page offers it to a planner.
    page = client.get(f"/mitra/program/{programme.pk}/")
    assert f'action="/evaluasi/program/{programme.pk}/"' in page.content.decode()
    answer = client.post(f"/evaluasi/program/{programme.pk}/")
    slug = f"program-{programme.pk}"
    assert answer.status_code == 302 and answer["Location"] == f"/evaluasi/?intervention={slug}"
    item = Intervention.objects.get(slug=slug)
    assert sorted(p.region_code for p in item.places.all()) == treated
    assert item.comparison == sorted(comparison) and item.ends == programme.ends_on
    form = client.get(answer["Location"]).content.decode()
    assert f'<option value="{slug}" selected>' in form
    done = client.post("/evaluasi/", {"intervention": slug, "outcome": "reports",
                                      "pool": "never"})
    assert done.status_code == 302
    run = EvaluationRun.objects.get(pk=int(done["Location"].rstrip("/").rsplit("/", 1)[1]))
    # Its own comparison villages only, not the rest of the area.
    assert run.result["n_comparison"] == len(comparison)
    assert run.result["n_treated"] == len(treated)
    assert run.parameters["comparison"] == sorted(comparison)
    assert abs(run.result["estimate_pct"] - -30) <= 10, run.result
    # The earlier runs list the outcome by its label, and the form's stylesheet is linked.
    home = client.get("/evaluasi/", headers={"Accept-Language": "en"}).content.decode()
    assert "<td>reports, all categories</td>" in home and "evaluation/evaluation" in home
    # Registering again brings it up to date instead of adding another.
    client.post(f"/evaluasi/program/{programme.pk}/")
    assert Intervention.objects.filter(slug=slug).count() == 1

    # The command line: --programme ID registers and evaluates it.
    out = io.StringIO()
    from django.core.management import call_command

    call_command("evaluate", "--programme", str(programme.pk), "--json", stdout=out)
    import json

    got = json.loads(out.getvalue())
    assert got["n_comparison"] == len(comparison) and got["n_treated"] == len(treated)
