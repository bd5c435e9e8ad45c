"""The case list: cases in scope, filtered by stage, overdue and category."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cases.helpers import open_case, walk
from cases_pages.conftest import body
from polmas.cases.models import Case

pytestmark = pytest.mark.django_db


def listed(page: str) -> set[int]:
    return {int(n) for n in re.findall(r'<li data-case="(\d+)">', page)}


@pytest.fixture
def three() -> dict[str, Case]:
    scanning = open_case(statement="Pencurian kabel listrik.", category="theft")
    analysed = walk(open_case(statement="Sengketa saluran air."), "analysis")
    quiet = open_case(statement="Balap liar.", category="traffic")
    Case.objects.filter(pk=quiet.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=10))
    return {"scanning": scanning, "analysed": analysed, "quiet": quiet}


def test_the_officer_lists_the_cases_in_scope(login, three):
    page = body(login("bhabin").get("/kasus/"))

    assert listed(page) == {c.pk for c in three.values()}
    assert "3 cases" in page and three["scanning"].title in page


def test_the_list_filters_by_stage_category_and_overdue(login, three):
    client = login("bhabin")

    assert listed(body(client.get("/kasus/?stage=analysis"))) == {three["analysed"].pk}
    assert listed(body(client.get("/kasus/?category=traffic"))) == {three["quiet"].pk}
    assert listed(body(client.get("/kasus/?overdue=1"))) == {three["quiet"].pk}
    filtered = body(client.get("/kasus/?stage=scanning&category=theft"))
    assert listed(filtered) == {three["scanning"].pk}
    assert '<option value="scanning" selected>' in filtered


def test_a_supervisor_sees_a_sealed_case_listed_without_its_title(login, dv_case):
    page = body(login("kapolsek").get("/kasus/"))

    assert dv_case.pk in listed(page)
    row = page.split(f'<li data-case="{dv_case.pk}">')[1].split("</li>")[0]
    assert "sealed sensitive case" in row and dv_case.title not in row


def test_a_forum_member_does_not_see_sealed_cases(login, three, dv_case):
    page = body(login("fkpm").get("/kasus/"))

    assert listed(page) == {c.pk for c in three.values()}
    assert 'href="/kasus/baru/"' not in page  # forum members open cases only from meetings


def test_the_outsider_lists_nothing_from_bali(login, three):
    page = body(login("kapolsek_depok").get("/kasus/"))

    assert listed(page) == set() and "0 cases" in page


@pytest.mark.parametrize("who", ["warga", "mitra", "bappenas"])
def test_roles_that_read_no_case_get_404(login, who):
    assert login(who).get("/kasus/").status_code == 404
