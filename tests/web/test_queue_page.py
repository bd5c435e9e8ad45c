"""The work queue /kerja/: what the officer, the supervisor and the forum member see first."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from webtools import expected

from cases.conftest import dv_case, officer2, officer2_village  # noqa: F401
from cases.helpers import LES, open_case, report, walk
from cases_pages.conftest import issue  # noqa: F401
from conftest import OUTSIDER, person
from polmas.activities.disaster import disaster_start
from polmas.activities.services import ActivityInput, activity_record
from polmas.cases.models import Action, Case, TimelineEntry
from polmas.cases.services import case_open
from polmas.core import periodic
from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Report
from polmas.reports.routing import route_pending

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def section(page: str, name: str) -> str:
    """The HTML of one <section id=name> of the page."""
    start = page.index(f'<section class="card" id="{name}">')
    return page[start:page.index("</section>", start)]


def queue(client) -> str:
    response = client.get("/kerja/", headers=EN)
    assert response.status_code == 200
    return response.content.decode()


# --- the officer ----------------------------------------------------------------------------

def test_the_officer_sees_a_new_routed_report_with_a_link_to_open_a_case(login):
    r = report(description="Maling jemuran di banjar kelod.", category="theft")

    reports = section(queue(login("bhabin")), "new-reports")

    assert f'data-report="{r.pk}"' in reports and "Maling jemuran di banjar kelod." in reports
    assert f'href="/kasus/baru/?report={r.pk}"' in reports


def test_a_report_already_in_a_case_leaves_the_new_reports(login):
    r = report(description="Maling jemuran lagi.")
    case_open(actor=person("bhabin"), source="report", report_ids=[r.pk], statement="Maling jemuran.")

    assert f'data-report="{r.pk}"' not in section(queue(login("bhabin")), "new-reports")


def test_in_a_disaster_area_looting_and_security_reports_come_first(login):
    older_dispute = report(category="neighbour_dispute", description="Cekcok pagar.")
    theft = report(category="theft", description="Rumah kosong dijarah.")
    newest_dispute = report(category="neighbour_dispute", description="Cekcok parkir.")
    plain = section(queue(login("bhabin")), "new-reports")
    assert plain.index(f'data-report="{newest_dispute.pk}"') < plain.index(f'data-report="{theft.pk}"')

    disaster_start(actor=person("kapolsek"), prefix=LES, kind="earthquake", reason="Gempa 6,1 SR")
    flagged = section(queue(login("bhabin")), "new-reports")

    first = flagged.index("<li ")
    assert flagged.index(f'data-report="{theft.pk}"') == flagged.index('data-report="', first)
    assert "disaster area: first" in flagged
    assert (flagged.index(f'data-report="{newest_dispute.pk}"')
            < flagged.index(f'data-report="{older_dispute.pk}"'))


def test_open_cases_come_by_due_date_and_overdue_actions_are_listed(login):
    later = walk(open_case(statement="Sengketa batas kebun."), "response")  # action due in 7 days
    sooner = walk(open_case(statement="Balap liar malam minggu."), "response")
    Action.objects.filter(case=sooner).update(due=timezone.localdate() - dt.timedelta(days=2))
    quiet = open_case(statement="Pencurian kabel.")  # no action planned

    page = queue(login("bhabin"))
    cases = section(page, "my-cases")
    assert cases.index(f'data-case="{sooner.pk}"') < cases.index(f'data-case="{later.pk}"') \
        < cases.index(f'data-case="{quiet.pk}"')
    assert "no action planned" in cases
    overdue = section(page, "overdue-actions")
    late = Action.objects.get(case=sooner)
    assert f'data-action="{late.pk}"' in overdue and sooner.number in overdue
    assert f'data-action="{Action.objects.get(case=later).pk}"' not in overdue


def test_the_officer_sees_this_weeks_visits_and_a_link_to_record_one(login):
    activity_record(actor=person("bhabin"), data=ActivityInput(
        client_uuid=uuid.uuid4(), kind="visit", village=LES, occurred_at=timezone.now(),
        households=7, issues_heard="Lampu jalan mati."))

    visits = section(queue(login("bhabin")), "my-visits")

    assert "7 households" in visits and "7 households visited since Monday." in visits
    assert 'href="/kegiatan/baru/"' in visits


def test_another_officers_case_is_not_in_my_queue(login, officer2_village):  # noqa: F811
    theirs = open_case("kapolsek", village=officer2_village)

    assert f'data-case="{theirs.pk}"' not in queue(login("bhabin"))


# --- the supervisor -------------------------------------------------------------------------

def test_the_supervisor_sees_cases_by_stage_with_links(login):
    walk(open_case(), "analysis")
    open_case()
    counts = {s: Case.objects.filter(village__code__startswith="51.08.09.", stage=s).count()
              for s in ("scanning", "analysis")}

    stages = section(queue(login("kapolsek")), "cases-by-stage")

    for stage, n in counts.items():
        assert f'<li data-stage="{stage}"><a href="/kasus/?stage={stage}">' in stages
        assert f'{stage}</a>: <strong class="count">{n}</strong>' in stages


def test_opening_the_queue_escalates_nothing(login):
    """A GET changes nothing: a case quiet for a week stays where it is when the supervisor
    looks; it shows as overdue, and as escalated once the worker's job has run."""
    case = open_case()
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=8))
    timeline = TimelineEntry.objects.filter(case=case).count()

    page = queue(login("kapolsek"))

    case.refresh_from_db()
    assert case.escalated_at is None
    assert TimelineEntry.objects.filter(case=case).count() == timeline
    assert f'data-case="{case.pk}"' in section(page, "overdue-cases")
    assert f'data-case="{case.pk}"' not in section(page, "escalated-cases")


def test_the_workers_periodic_job_escalates_and_the_queue_shows_it(login):
    case = open_case()
    busy = open_case(statement="Kasus yang baru disentuh.")
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=8))

    last: dict[str, float] = {}
    assert "cases_escalate" in periodic.run_due(last, now=1000.0)
    assert "cases_escalate" not in periodic.run_due(last, now=1001.0)  # not again within its period
    page = queue(login("kapolsek"))

    case.refresh_from_db()
    assert case.escalated_at is not None and case.unit.name.startswith("Polsek")
    assert TimelineEntry.objects.filter(case=case, kind="escalated").count() == 1
    assert f'data-case="{case.pk}"' in section(page, "escalated-cases")
    assert f'data-case="{busy.pk}"' not in section(page, "escalated-cases")
    periodic.run_due(last, now=1000.0 + 301)
    assert TimelineEntry.objects.filter(case=case, kind="escalated").count() == 1  # once per quiet spell


def test_the_supervisor_sees_a_sealed_overdue_case_without_its_title(login, dv_case):  # noqa: F811
    Case.objects.filter(pk=dv_case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=9))

    overdue = section(queue(login("kapolsek")), "overdue-cases")

    assert f'data-case="{dv_case.pk}"' in overdue and "sealed sensitive case" in overdue
    assert dv_case.title not in overdue


def test_the_supervisor_sees_the_coverage_gaps(login):
    gaps = section(queue(login("kapolres")), "coverage-gaps")

    c = expected("51.08")
    assert f'<span class="count">{c["villages"] - c["with_officer"]}</span>' in gaps


def test_the_outsider_supervisor_sees_nothing_from_bali(login):
    case = open_case()
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=9))

    page = queue(login("kapolsek_depok"))

    assert f'data-case="{case.pk}"' not in page and case.number not in page
    assert ('data-stage="scanning"><a href="/kasus/?stage=scanning">scanning</a>: '
            '<strong class="count">0<') in page


# --- the forum member -----------------------------------------------------------------------

def test_the_forum_member_sees_the_meetings_and_open_issues(login, issue):  # noqa: F811
    page = queue(login("fkpm"))

    meetings = section(page, "forum-meetings")
    assert f'data-meeting="{issue.meeting_id}"' in meetings
    issues = section(page, "open-issues")
    assert f'data-issue="{issue.pk}"' in issues and "Parkir liar" in issues
    assert f'href="/kasus/dari-rapat/{issue.pk}/"' in issues
    assert 'id="new-reports"' not in page and 'id="cases-by-stage"' not in page


@pytest.mark.parametrize("who", ["warga", "mitra", "bappenas"])
def test_roles_without_a_queue_get_404(login, who):
    assert login(who).get("/kerja/").status_code == 404


def test_the_header_links_to_the_queue_and_the_cases(login):
    body = login("bhabin").get("/", headers=EN).content.decode()

    header = body.split("</header>")[0]
    assert 'href="/kerja/"' in header and 'href="/kasus/"' in header
    assert 'href="/kerja/"' not in login("warga").get("/").content.decode().split("</header>")[0]


def test_the_supervisor_is_warned_of_reports_left_unrouted(login):
    """Routing follows within seconds while the task worker runs (ADR 11): a report still
    waiting after minutes means it does not, and the supervisors in scope are told."""
    route_pending()
    fresh = report_submit(ReportInput(category="theft", description="Motor hilang.", channel="api",
                                      village=LES)).report
    assert 'id="unrouted-reports"' not in queue(login("kapolsek"))  # seconds old: no alarm yet
    waited = timezone.now() - dt.timedelta(minutes=30)
    Report.objects.filter(pk=fresh.pk).update(created_at=waited)

    page = queue(login("kapolsek"))
    start = page.index('<section class="card warning" id="unrouted-reports" role="alert">')
    warning = page[start:page.index("</section>", start)]
    assert '<span class="count">1</span>' in warning
    assert timezone.localtime(waited).strftime("%H:%M") in warning
    assert 'id="unrouted-reports"' not in queue(login(OUTSIDER))  # not in their area
    route_pending()
    assert 'id="unrouted-reports"' not in queue(login("kapolsek"))
