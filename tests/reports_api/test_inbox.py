"""GET /reports/inbox: what was routed to the caller, as officer, forum member, Polsek or PPA."""

import pytest
from django.utils import timezone

from api.conftest import all_items, assert_error
from conftest import OUTSIDER
from polmas.policing.models import Assignment
from polmas.reports.routing import route_pending
from reports_api.conftest import REPORTS, good

pytestmark = pytest.mark.django_db

INBOX = f"{REPORTS}/inbox"
DEPOK_VILLAGE = "34.04.07.2001"
GAP_VILLAGE = "51.08.09.2001"


def inbox_of(as_, username: str) -> set[int]:
    return {item["id"] for item in all_items(as_(username), INBOX)}


def test_the_bhabin_finds_the_report_of_les_and_not_one_of_depok(as_, file_report):
    les, depok = file_report(), file_report(village=DEPOK_VILLAGE)
    mine = inbox_of(as_, "bhabin")
    assert les.pk in mine and depok.pk not in mine
    item = next(i for i in all_items(as_("bhabin"), INBOX) if i["id"] == les.pk)
    assert (item["village_code"], item["description"]) == ("51.08.09.2007", les.description)


def test_the_forum_gets_an_ordinary_report_but_never_a_sealed_one(as_, file_report):
    theft = file_report()
    sealed = file_report(category="domestic_violence", description="Ibu dipukul suaminya.")
    mine = inbox_of(as_, "fkpm")
    assert theft.pk in mine and sealed.pk not in mine
    assert sealed.pk in inbox_of(as_, "bhabin")


def test_the_ppa_officer_gets_sealed_matters_only(as_, file_report):
    theft = file_report()
    sealed = file_report(category="child_abuse", description="Anak dipukul walinya.")
    mine = inbox_of(as_, "ppa")
    assert sealed.pk in mine and theft.pk not in mine


def test_the_polsek_gets_reports_of_a_village_without_officer(as_, file_report):
    Assignment.objects.filter(village_id=GAP_VILLAGE, end__isnull=True).update(end=timezone.localdate())
    gap, les = file_report(village=GAP_VILLAGE), file_report()
    mine = inbox_of(as_, "kapolsek")
    assert gap.pk in mine and les.pk not in mine
    assert next(i for i in all_items(as_("kapolsek"), INBOX) if i["id"] == gap.pk)["coverage_gap"]
    assert gap.pk not in inbox_of(as_, OUTSIDER)


def test_the_inbox_takes_the_list_filters(as_, file_report):
    theft, noise = file_report(), file_report(category="noise", description="Bising.")
    assert {i["id"] for i in all_items(as_("bhabin"), INBOX, category="noise")} >= {noise.pk}
    assert theft.pk not in {i["id"] for i in all_items(as_("bhabin"), INBOX, category="noise")}
    assert_error(as_("bhabin").get(INBOX, region="5108"), 400, "region")


@pytest.mark.parametrize("username", ["warga", "mitra", "bappenas"])
def test_residents_partners_and_planners_have_an_empty_inbox(as_, file_report, username):
    file_report()
    assert as_(username).get(INBOX).json() == {"items": [], "count": 0}


def test_it_refuses_anonymous_callers(as_):
    assert_error(as_(None).get(INBOX), 401)


def test_a_report_reaches_the_inbox_when_it_is_routed(as_):
    # Intake answers first; the task queue routes a moment later (ADR 11).
    response = as_(None).post(REPORTS, good(description="Ayam tiga ekor hilang dari kandang."))
    number = response.json()["id"]
    assert number not in inbox_of(as_, "bhabin")
    route_pending()
    assert number in inbox_of(as_, "bhabin") and number in inbox_of(as_, "fkpm")
