"""The demo cases: every stage in Tejakula, sealed ones for the bhabin, cases elsewhere in
Buleleng, mediations and referrals; running again adds nothing."""

import pytest

from cases.helpers import LES, TEJAKULA
from conftest import SEED, YEAR, person
from polmas.access.scope import scope_for
from polmas.cases import selectors
from polmas.cases.models import Case, Mediation, Referral, TimelineEntry
from polmas.core.scope import prefix_q
from polmas.simulation.cases import cases_generate
from polmas.simulation.reports import reports_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated() -> int:
    reports_generate(provinces=["51"], year=YEAR, seed=SEED, count=60)
    return cases_generate(provinces=["51"], year=YEAR, seed=SEED)


def test_tejakula_holds_every_stage_with_sealed_cases(generated):
    tejakula = Case.objects.filter(prefix_q("village_id", [TEJAKULA]))
    assert set(tejakula.values_list("stage", flat=True)) == set(Case.Stage.values)
    assert tejakula.filter(sensitive=True, stage__in=Case.OPEN_STAGES).exists()
    dv = Case.objects.filter(village_id=LES, category__code="domestic_violence", stage="analysis").first()
    assert dv.assigned_officer.user == person("bhabin")
    assert selectors.case_get(user=person("bhabin"), case_id=dv.pk) == dv
    assert dv.risk_assessments.exists() and dv.safety_plan.steps
    assert selectors.case_get(user=person("fkpm"), case_id=dv.pk) is None


def test_buleleng_holds_cases_outside_the_bhabins_villages(generated):
    bhabin = scope_for(person("bhabin"))
    kapolres = selectors.case_list(user=person("kapolres"))
    assert kapolres.exclude(bhabin.q("village_id")).exclude(prefix_q("village_id", [TEJAKULA])).exists()
    assert not selectors.case_list(user=person("bhabin")).exclude(bhabin.q("village_id")).exists()


def test_mediations_referrals_outcomes_and_escalations_exist(generated):
    assert generated > 20
    assert Mediation.objects.filter(parties__isnull=False).exists()
    assert Referral.objects.filter(status="accepted").exists()
    assert Referral.objects.filter(to="reskrim").exists()
    outcomes = set(Case.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert {"resolved_mediation", "resolved_action", "referred_criminal", "not_resolved"} <= outcomes
    assert Case.objects.filter(escalated_at__isnull=False, unit__kind="polsek").exists()
    assert selectors.problems_resolved(None, "51") == selectors.cases_resolved().count() > 0
    closed = Case.objects.filter(stage="closed")
    assert not closed.filter(closed_at__isnull=True).exists()
    assert TimelineEntry.objects.filter(case__in=closed, kind="closed").count() == closed.count()


def test_running_again_adds_nothing(generated):
    before = (Case.objects.count(), TimelineEntry.objects.count(), Mediation.objects.count())
    assert cases_generate(provinces=["51"], year=YEAR, seed=SEED) == 0
    assert (Case.objects.count(), TimelineEntry.objects.count(), Mediation.objects.count()) == before
