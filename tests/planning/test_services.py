"""Proposals over the demo data, applied through the posting services; targets and bad input."""

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from conftest import OUTSIDER, person
from polmas.access.models import AuditEntry
from polmas.planning import planner, services
from polmas.planning.models import Proposal
from polmas.policing.models import Assignment, Officer
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db
TEJAKULA = "51.08.09"


def test_plan_json_prints_exactly_the_issues_keys():
    out = StringIO()
    call_command("plan", "--region", TEJAKULA, "--k", "3", "--d", "8", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"coverage_before", "coverage_after", "greedy_coverage", "gap_max", "postings"}
    assert 0 <= data["coverage_after"] <= 1 and data["gap_max"] <= 0.005
    assert data["coverage_after"] >= data["greedy_coverage"] - 1e-9
    officers = set(Officer.objects.filter(unit__region_id=TEJAKULA, function="bhabinkamtibmas")
                   .values_list("nrp", flat=True))
    assert {p["officer"] for p in data["postings"]} == officers
    for p in data["postings"]:
        assert len(p["villages"]) <= 3
        assert all(v.startswith(TEJAKULA + ".") for v in p["villages"])


def test_every_village_is_planned_even_without_coordinates():
    village = Region.objects.filter(code__startswith=TEJAKULA + ".").order_by("code").first()
    Region.objects.filter(pk=village.pk).update(latitude=None, longitude=None)
    needs = planner.needs_for(TEJAKULA)
    assert needs[village.code].approximate
    result = planner.plan(TEJAKULA, k=4, d_km=10)
    assert result.approximate == [village.code]
    assert sum(d.villages for d in result.districts) == Region.objects.filter(
        code__startswith=TEJAKULA + ".", level=4).count()


def test_a_supervisor_applies_and_planning_again_moves_nobody():
    kapolsek = person("kapolsek")
    proposal = services.proposal_create(actor=kapolsek, region=TEJAKULA, k=3, d_km=10)
    assert proposal.result["changes"], "the demo's 3 officers hold 10 villages: k=3 must trim"
    before = AuditEntry.objects.filter(action="planning.apply").count()
    changed = services.proposal_apply(actor=kapolsek, proposal=proposal)
    assert changed == len(proposal.result["changes"])
    assert AuditEntry.objects.filter(action="planning.apply").count() == before + changed
    for posting in proposal.result["postings"]:
        now = set(Assignment.objects.filter(officer__nrp=posting["officer"], end__isnull=True)
                  .values_list("village_id", flat=True))
        assert now == set(posting["villages"])
    assert Assignment.objects.filter(village__code__startswith=TEJAKULA, end__isnull=False).exists()
    again = planner.plan(TEJAKULA, k=3, d_km=10)
    assert again.changes == [] and again.moved == 0


def test_a_stale_proposal_is_refused_and_nothing_applied():
    kapolsek = person("kapolsek")
    proposal = services.proposal_create(actor=kapolsek, region=TEJAKULA, k=3, d_km=10)
    a = Assignment.objects.filter(village__code__startswith=TEJAKULA, end__isnull=True).first()
    a.end = timezone.localdate()
    a.save()
    open_before = Assignment.objects.filter(end__isnull=True).count()
    with pytest.raises(services.Stale):
        services.proposal_apply(actor=kapolsek, proposal=proposal)
    assert Assignment.objects.filter(end__isnull=True).count() == open_before
    assert Proposal.objects.get(pk=proposal.pk).applied_at is None


def test_applying_outside_ones_own_polsek_is_refused():
    proposal = services.proposal_create(actor=person("bappenas"), region=TEJAKULA, k=3, d_km=10)
    with pytest.raises(PermissionDenied):
        services.proposal_apply(actor=person(OUTSIDER), proposal=proposal)
    with pytest.raises(PermissionDenied):  # a planner plans, a supervisor applies
        services.proposal_apply(actor=person("bappenas"), proposal=proposal)


@pytest.mark.parametrize(("params", "field"), [
    ({"k": 0, "d_km": 5}, "k"), ({"k": 2, "d_km": 0}, "d_km"), ({"k": 2, "d_km": -1}, "d_km"),
    ({"k": 2, "d_km": float("nan")}, "d_km"), ({"k": 2, "d_km": 5, "add_officers": -1}, "add_officers"),
])
def test_bad_parameters_are_refused_with_the_field(params, field):
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(actor=person("bappenas"), region=TEJAKULA, **params)
    assert field in exc.value.message_dict
    assert not Proposal.objects.exists()


def test_adding_officers_outside_ones_scope_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(actor=person(OUTSIDER), region=TEJAKULA, k=1, d_km=5, add_officers=3)
    assert "add_officers" in exc.value.message_dict


def test_new_officers_go_where_villages_lack_one():
    Assignment.objects.filter(village__code__startswith=TEJAKULA).delete()
    result = planner.plan("51.08", k=2, d_km=10, add_officers=2)
    teja = next(d for d in result.districts if d.district == TEJAKULA)
    assert teja.new_officers >= 1
    assert result.coverage_after > result.coverage_before


@pytest.mark.parametrize(("value", "year", "field"), [
    (101, 2030, "value"), (-1, 2030, "value"), (50, 2001, "year"), (float("inf"), 2030, "value"),
])
def test_bad_targets_are_refused(value, year, field):
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=person("bappenas"), region="51", indicator="officer_coverage",
                            year=year, value=value)
    assert field in exc.value.message_dict


def test_a_province_inherits_the_national_target_until_it_sets_its_own():
    from polmas.planning.progress import effective_target

    services.target_set(actor=person("bappenas"), region="", indicator="officer_coverage",
                        year=2030, value=90)
    assert effective_target("51.08", "officer_coverage", 2030) == (90, "")
    services.target_set(actor=person("kapolda"), region="51", indicator="officer_coverage",
                        year=2030, value=95)
    assert effective_target("51.08", "officer_coverage", 2030) == (95, "51")
    with pytest.raises(PermissionDenied):
        services.target_set(actor=person(OUTSIDER), region="51", indicator="officer_coverage",
                            year=2030, value=80)
