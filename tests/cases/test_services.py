"""The SARA walk through the services: from a report to a closed case, as each role; and every
bad input refused with nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from cases.helpers import LES, TRIANGLE, open_case, report, walk
from conftest import person
from polmas.access.models import AuditEntry
from polmas.cases import services
from polmas.cases.models import Action, Case, TimelineEntry
from polmas.reports.models import Event, Report

pytestmark = pytest.mark.django_db
ACTION = {"description": "Patroli malam", "owner_kind": "officer", "owner_name": "Bhabin",
          "due": dt.date.today()}


def snapshot(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (case.stage, case.version, case.triangle, case.plan, case.outcome, case.last_activity_at,
            case.actions.count(), case.timeline.count(), case.mediations.count())


@pytest.mark.parametrize("actor", ["bhabin", "kapolsek", "kapolres", "ppa"])
def test_a_report_walks_to_a_closed_case_as_each_police_role(actor):
    r = report(reply_channel="sms", phone="081234567890", anonymous=False, name="I Wayan")
    case = services.case_open(actor=person(actor), source="report", report_ids=[r.pk],
                              statement="Cekcok saluran air berulang.", recurring=True)
    assert (case.village_id, case.category.code, case.stage) == (LES, "neighbour_dispute", "scanning")
    assert Report.objects.get(pk=r.pk).status == Report.Status.IN_PROGRESS
    assert case.first_response_at is not None
    case = walk(case, "closed", actor)
    assert case.stage == "closed" and case.outcome == "resolved_action" and case.closed_at
    r.refresh_from_db()
    assert r.status == Report.Status.RESOLVED and r.public_summary
    assert r.messages.filter(body__contains="selesai").exists()  # the reporter is told
    kinds = list(case.timeline.values_list("kind", flat=True))
    assert kinds == ["opened", "analysis", "response", "assessment", "closed"]
    assert case.version == 5
    assert AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                     action="case.closed", actor_name=actor).exists()


@pytest.mark.parametrize("actor", ["warga", "mitra", "bappenas"])
def test_people_without_a_police_or_forum_role_open_no_case(actor):
    with pytest.raises(PermissionDenied):
        open_case(actor)
    assert not Case.objects.exists()


def test_a_forum_member_reads_but_does_not_change_a_case():
    case = open_case()
    with pytest.raises(PermissionDenied):
        walk(case, "analysis", "fkpm")
    assert Case.objects.get(pk=case.pk).stage == "scanning"


def test_a_forum_member_opens_a_case_only_from_a_meeting():
    with pytest.raises(ValidationError) as err:
        open_case("fkpm")
    assert "source" in err.value.message_dict


def test_a_supervisor_outside_the_area_cannot_open_or_change():
    with pytest.raises(ValidationError) as err:
        open_case("kapolsek_depok")
    assert "village" in err.value.message_dict
    case = open_case()
    with pytest.raises(Http404):
        walk(case, "analysis", "kapolsek_depok")


def test_a_report_outside_scope_cannot_be_linked():
    r = report(village="51.08.08.2001")
    with pytest.raises(ValidationError) as err:
        services.case_open(actor=person("bhabin"), source="report", report_ids=[r.pk], statement="x")
    assert "report_ids" in err.value.message_dict
    assert Report.objects.get(pk=r.pk).status == Report.Status.RECEIVED


def test_scanning_needs_statement_and_incidents():
    with pytest.raises(ValidationError) as err:
        services.case_open(actor=person("bhabin"), source="detection", village=LES,
                           category="theft", statement=" ")
    assert {"statement", "incidents_note"} <= set(err.value.message_dict)
    assert not Case.objects.exists()


def test_analysis_needs_the_whole_triangle_and_changes_nothing_otherwise():
    case = open_case()
    before = snapshot(case)
    with pytest.raises(ValidationError) as err:
        services.case_analyse(actor=person("bhabin"), case_id=case.pk, version=case.version,
                              triangle={"victim": "Warga"}, causes="", community_input="Ada")
    assert {"triangle.offender", "triangle.manager", "causes"} <= set(err.value.message_dict)
    assert snapshot(case) == before


def test_a_stage_cannot_be_skipped():
    case = open_case()
    before = snapshot(case)
    with pytest.raises(ValidationError) as err:
        services.case_respond(actor=person("bhabin"), case_id=case.pk, version=case.version,
                              plan="Langsung tindak", actions=[ACTION])
    assert "stage" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.case_assess(actor=person("bhabin"), case_id=case.pk, version=case.version,
                             outcome="resolved_action", evidence="x", community_satisfied=True)
    assert snapshot(case) == before


def test_a_case_cannot_close_without_an_assessment():
    case = walk(open_case(), "response")
    before = snapshot(case)
    with pytest.raises(ValidationError) as err:
        services.case_close(actor=person("bhabin"), case_id=case.pk, version=case.version)
    assert "tanpa penilaian" in err.value.message_dict["stage"][0]  # "without an assessment"
    assert snapshot(case) == before


def test_assessment_needs_outcome_evidence_and_satisfaction():
    case = walk(open_case(), "response")
    before = snapshot(case)
    with pytest.raises(ValidationError) as err:
        services.case_assess(actor=person("bhabin"), case_id=case.pk, version=case.version,
                             outcome="", evidence="", community_satisfied=None)
    assert set(err.value.message_dict) == {"outcome", "evidence", "community_satisfied"}
    assert snapshot(case) == before


def test_an_action_without_owner_or_due_date_is_refused():
    case = walk(open_case(), "analysis")
    before = snapshot(case)
    with pytest.raises(ValidationError) as err:
        services.case_respond(actor=person("bhabin"), case_id=case.pk, version=case.version, plan="Rencana",
                              actions=[{"description": "Patroli", "owner_kind": "officer", "owner_name": ""}])
    assert {"actions.0.owner_name", "actions.0.due"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        services.action_add(actor=person("bhabin"), case_id=case.pk, version=case.version,
                            description="Patroli", owner_kind="", owner_name="", due=None)
    assert {"owner_kind", "owner_name", "due"} <= set(err.value.message_dict)
    assert snapshot(case) == before
    assert not Action.objects.filter(case=case).exists()


def test_a_plan_needs_at_least_one_action():
    case = walk(open_case(), "analysis")
    with pytest.raises(ValidationError) as err:
        services.case_respond(actor=person("bhabin"), case_id=case.pk, version=case.version,
                              plan="Rencana", actions=[])
    assert "actions" in err.value.message_dict


def test_a_stale_version_changes_nothing():
    case = open_case()
    stale = case.version
    case = walk(case, "analysis")
    before = snapshot(case)
    with pytest.raises(services.Conflict):
        services.case_analyse(actor=person("bhabin"), case_id=case.pk, version=stale, triangle=TRIANGLE,
                              causes="Lain", community_input="Lain")
    assert snapshot(case) == before


def test_actions_move_and_are_timed():
    case = walk(open_case(), "response")
    action = case.actions.get()
    done = services.action_update(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                  action_id=action.pk, status="done")
    assert done.status == "done" and done.done_at is not None
    assert TimelineEntry.objects.filter(case=case, kind="action_updated").exists()


def test_closing_a_case_not_resolved_closes_its_reports_without_resolving():
    r = report()
    case = services.case_open(actor=person("bhabin"), source="report", report_ids=[r.pk], statement="x")
    case = walk(case, "response")
    case = services.case_assess(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                outcome="not_resolved", evidence="Masih cekcok.", community_satisfied=False)
    services.case_close(actor=person("bhabin"), case_id=case.pk, version=case.version)
    assert Report.objects.get(pk=r.pk).status == Report.Status.CLOSED


def test_a_closed_case_is_not_changed_again():
    case = walk(open_case(), "closed")
    with pytest.raises(ValidationError) as err:
        services.action_add(actor=person("bhabin"), case_id=case.pk, version=case.version,
                            description="x", owner_kind="officer", owner_name="y", due=dt.date.today())
    assert "stage" in err.value.message_dict


def test_closing_a_sealed_case_publishes_nothing_about_it():
    r = report(category="domestic_violence", description="Tetangga sering dipukul suaminya.")
    case = services.case_open(actor=person("bhabin"), source="report", report_ids=[r.pk],
                              statement="KDRT", victim_name="Ni Made")
    assert case.sensitive and case.assigned_officer.user == person("bhabin")
    case = walk(case, "response")
    case = services.case_assess(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                outcome="referred_service", evidence="Diterima UPTD PPA.",
                                community_satisfied=True)
    case = services.case_close(actor=person("bhabin"), case_id=case.pk, version=case.version,
                               public_summary="Suami ditahan, istri di rumah aman")
    assert case.public_summary == ""
    r.refresh_from_db()
    assert r.status == Report.Status.RESOLVED and r.public_summary == ""
    assert not Event.objects.filter(report=r).exclude(note="").filter(public=True).exists()


def test_escalation_moves_quiet_cases_to_the_polsek_once():
    quiet = open_case(opened_at=timezone.now() - dt.timedelta(days=8))
    busy = open_case()
    closed = walk(open_case(opened_at=timezone.now() - dt.timedelta(days=30)), "closed")
    Case.objects.filter(pk=closed.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=20))
    assert services.cases_escalate() == 1
    quiet.refresh_from_db()
    assert quiet.unit.kind == "polsek" and quiet.unit.region_id == "51.08.09"
    assert quiet.escalated_at is not None
    assert quiet.timeline.filter(kind="escalated").exists()
    assert Case.objects.get(pk=busy.pk).escalated_at is None
    assert services.cases_escalate() == 0  # once per quiet spell
    later = timezone.now() + dt.timedelta(days=8)
    assert services.cases_escalate(now=later) == 1  # busy is now quiet too


def test_escalation_never_lands_on_an_inactive_polsek():
    """The Polsek of a village comes from policing.tree, which skips inactive units: a Polsek
    that was closed down does not receive escalated cases; the case goes to the next active
    unit covering the village, or stays where it is."""
    from polmas.policing.models import PoliceUnit

    polsek = PoliceUnit.objects.get(kind="polsek", region_id="51.08.09")
    PoliceUnit.objects.filter(pk=polsek.pk).update(active=False)
    quiet = open_case(opened_at=timezone.now() - dt.timedelta(days=8))
    before = quiet.unit
    assert services.cases_escalate() == 1
    quiet.refresh_from_db()
    assert quiet.unit_id != polsek.pk
    assert quiet.unit is None or quiet.unit.active
    assert quiet.unit == before or quiet.unit.kind == "polsek"
