"""The supervisor's queue on /kerja/ (issue 15, item 6): each case once, paged, filtered, a
count in each heading; and the PPA officer's queue (item 7)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cases.conftest import dv_case  # noqa: F401
from cases.helpers import LES, open_case, report, walk
from conftest import person
from polmas.cases.mediation import risk_assess
from polmas.cases.models import Action, Case
from polmas.cases.risk import QUESTIONS
from polmas.cases.services import cases_escalate

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def section(page: str, name: str) -> str:
    start = page.index(f'<section class="card" id="{name}">')
    return page[start:page.index("</section>", start)]


def heading_count(html: str) -> int:
    return int(re.search(r'<h2>.*?<span class="count">([\d.,]+)</span></h2>', html, re.S).group(1)
               .replace(",", "").replace(".", ""))


def quiet(case: Case, days: int = 8) -> None:
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=days))


def page(client, query: str = "", status: int = 200) -> str:
    response = client.get(f"/kerja/{query}", headers=EN)
    assert response.status_code == status
    return response.content.decode()


def test_an_escalated_case_is_listed_once_not_also_as_overdue(login):
    case = open_case()
    quiet(case)
    cases_escalate()

    html = page(login("kapolsek"))

    assert f'data-case="{case.pk}"' in section(html, "escalated-cases")
    assert f'data-case="{case.pk}"' not in section(html, "overdue-cases")
    assert html.count(f'data-case="{case.pk}"') == 1


def test_each_heading_counts_every_case_not_only_the_page_shown(login):
    for _ in range(12):
        quiet(open_case())
    total = Case.objects.filter(village__code__startswith="51.08.09.", stage__in=Case.OPEN_STAGES,
                                last_activity_at__lt=timezone.now() - dt.timedelta(days=7),
                                escalated_at__isnull=True).count()

    html = section(page(login("kapolsek")), "overdue-cases")

    assert heading_count(html) >= total >= 12
    assert html.count("data-case=") == 10  # one page
    assert 'rel="next"' in html and "op=2" in html


def test_the_second_page_shows_the_next_cases(login):
    made = [open_case() for _ in range(12)]
    for c in made:
        quiet(c)
    client = login("kapolsek")
    first = set(re.findall(r'data-case="(\d+)"', section(page(client), "overdue-cases")))
    second = set(re.findall(r'data-case="(\d+)"', section(page(client, "?op=2"), "overdue-cases")))
    assert first and second and not first & second


def test_filters_by_village_stage_and_sensitivity(login, dv_case):  # noqa: F811
    analysed = walk(open_case(), "analysis")
    scanning = open_case()
    for c in (analysed, scanning, dv_case):
        quiet(c)
    client = login("kapolsek")

    by_stage = section(page(client, f"?stage=analysis&village={LES}"), "overdue-cases")
    assert f'data-case="{analysed.pk}"' in by_stage and f'data-case="{scanning.pk}"' not in by_stage

    sensitive = section(page(client, "?sensitive=yes"), "overdue-cases")
    assert f'data-case="{dv_case.pk}"' in sensitive and f'data-case="{scanning.pk}"' not in sensitive
    assert "sealed sensitive case" in sensitive and "KDRT" not in sensitive

    not_sensitive = section(page(client, "?sensitive=no"), "overdue-cases")
    assert f'data-case="{dv_case.pk}"' not in not_sensitive


def test_the_overdue_filter_shows_every_open_case_when_off(login):
    fresh = open_case()
    client = login("kapolsek")
    assert f'data-case="{fresh.pk}"' not in section(page(client), "overdue-cases")
    every = section(page(client, "?overdue=0"), "overdue-cases")
    assert f'data-case="{fresh.pk}"' in every and "Open cases" in every


@pytest.mark.parametrize("query, field", [
    ("?stage=closed", "f-stage-error"), ("?sensitive=maybe", "f-sensitive-error"),
    ("?village=34.04.07.2001", "f-village-error"), ("?village=bogus", "f-village-error"),
    ("?overdue=2", "f-overdue-error"),
])
def test_a_bad_filter_is_refused_naming_the_field(login, query, field):
    html = page(login("kapolsek"), query, status=400)
    assert f'id="{field}"' in html


def test_kapoldas_queue_is_paged_on_a_phone(login):
    html = page(login("kapolda"))
    for name in ("escalated-cases", "overdue-cases"):
        assert section(html, name).count("data-case=") <= 10
    assert section(html, "coverage-gaps").count("data-code=") <= 10


def test_each_row_links_to_the_supervisors_actions(login):
    case = open_case()
    quiet(case)
    cases_escalate()
    html = section(page(login("kapolsek")), "escalated-cases")
    assert f'href="/kasus/{case.pk}/awasi/"' in html


# --- PPA ------------------------------------------------------------------------------------

def test_the_ppa_officer_has_a_queue_of_sensitive_cases_with_risk_and_follow_ups(login, dv_case):  # noqa: F811
    walk(dv_case, "response")
    Action.objects.filter(case=dv_case).update(due=timezone.localdate() - dt.timedelta(days=1))
    answers = dict.fromkeys(QUESTIONS, True)
    dv_case.refresh_from_db()
    risk_assess(actor=person("bhabin"), case_id=dv_case.pk, version=dv_case.version, answers=answers)
    plain = open_case()

    html = page(login("ppa"))

    cases = section(html, "ppa-cases")
    assert f'data-case="{dv_case.pk}"' in cases and f'data-case="{plain.pk}"' not in cases
    assert "risk: high" in cases
    assert "next follow-up due" in cases and 'class="late"' in cases
    assert dv_case.number in section(html, "ppa-overdue")


def test_the_ppa_queue_lists_sensitive_reports_not_yet_in_a_case(login):
    sealed = report(category="domestic_violence", description="Suami memukul istri tiap malam.")
    plain = report(category="theft", description="Maling ayam.")

    reports = section(page(login("ppa")), "ppa-reports")

    assert f'data-report="{sealed.pk}"' in reports and f'data-report="{plain.pk}"' not in reports
    assert "Suami memukul" not in reports  # sealed text is read, and audited, when opened


def test_an_outsider_ppa_sees_nothing_of_bali(login, dv_case):  # noqa: F811
    html = page(login("kapolsek_depok"))
    assert f'data-case="{dv_case.pk}"' not in html
