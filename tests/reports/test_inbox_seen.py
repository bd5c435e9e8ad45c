"""Seen in one's inbox (Recipient.seen_at): marked by POST /reports/inbox/seen and by any action
on the report, for the caller's own inbox entries only; never by a read; a reopened report
comes back unseen. The inbox says `seen` per item and filters on `unseen`."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from api.conftest import all_items, assert_error
from conftest import OUTSIDER, person
from polmas.reports.feedback import report_feedback_give
from polmas.reports.models import Recipient, Report
from polmas.reports.services import inbox_mark_seen
from reports.helpers import submit
from reports_api.conftest import REPORTS, as_, file_report  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

INBOX = f"{REPORTS}/inbox"
SEEN = f"{REPORTS}/inbox/seen"


def seen_at(report: Report) -> dict[str, object]:
    """Each inbox entry of `report` by whom it is for -> its seen_at."""
    return {r.why: r.seen_at for r in Recipient.objects.filter(report=report)}


def all_seen_at() -> list:
    return list(Recipient.objects.order_by("pk").values_list("pk", "seen_at"))


def item(caller, report: Report, **params) -> dict | None:
    return next((i for i in all_items(caller, INBOX, **params) if i["id"] == report.pk), None)


def test_the_service_marks_only_the_callers_own_entries():
    report = submit().report
    assert set(seen_at(report)) == {"officer", "forum"}
    assert set(seen_at(report).values()) == {None}  # routed reports arrive unseen
    assert inbox_mark_seen(user=person("bhabin"), report_ids=[report.pk]) == 1
    after = seen_at(report)
    assert after["officer"] is not None and after["forum"] is None  # the forum has not seen it


def test_the_forum_member_marks_the_forums_entry_and_not_the_officers():
    report = submit().report
    assert inbox_mark_seen(user=person("fkpm"), report_ids=[report.pk]) == 1
    after = seen_at(report)
    assert after["forum"] is not None and after["officer"] is None


def test_marking_again_keeps_the_first_time():
    report = submit().report
    inbox_mark_seen(user=person("bhabin"), report_ids=[report.pk])
    first = seen_at(report)["officer"]
    assert inbox_mark_seen(user=person("bhabin"), report_ids=[report.pk]) == 1
    assert seen_at(report)["officer"] == first


def test_reports_outside_the_inbox_are_ignored():
    report = submit().report
    before = all_seen_at()
    for username in (OUTSIDER, "warga", "mitra", "bappenas", "kapolsek"):
        assert inbox_mark_seen(user=person(username), report_ids=[report.pk, 999_999]) == 0
    assert all_seen_at() == before


def test_the_inbox_says_seen_and_filters_unseen(as_):  # noqa: F811
    first, second = submit().report, submit(description="Lampu jalan mati sejak seminggu.").report
    bhabin = as_("bhabin")
    assert item(bhabin, first)["seen"] is False and item(bhabin, second)["seen"] is False
    response = bhabin.post(SEEN, {"ids": [first.pk]})
    assert response.status_code == 200 and response.json() == {"seen": 1}
    assert item(bhabin, first)["seen"] is True and item(bhabin, second)["seen"] is False
    unseen = {i["id"] for i in all_items(bhabin, INBOX, unseen="true")}
    assert second.pk in unseen and first.pk not in unseen
    seen = {i["id"] for i in all_items(bhabin, INBOX, unseen="false")}
    assert first.pk in seen and second.pk not in seen
    # The forum member has seen neither.
    assert {first.pk, second.pk} <= {i["id"] for i in all_items(as_("fkpm"), INBOX, unseen="true")}


def test_a_get_writes_nothing(as_, login):  # noqa: F811
    report = submit().report
    before = all_seen_at()
    for username in ("bhabin", "fkpm"):
        assert as_(username).get(INBOX).status_code == 200
        assert as_(username).get(INBOX, unseen="true").status_code == 200
        assert as_(username).get(f"{REPORTS}/{report.pk}").status_code == 200
    assert login("bhabin").get(f"/kerja/laporan/{report.pk}/").status_code == 200
    assert login("bhabin").get("/kerja/").status_code == 200
    assert all_seen_at() == before


def test_an_action_on_the_report_marks_it_seen_for_the_actor(as_):  # noqa: F811
    report = submit().report
    response = as_("bhabin").post(f"{REPORTS}/{report.pk}/status",
                                  {"status": "in_progress", "version": report.version})
    assert response.status_code == 200, response.content
    after = seen_at(report)
    assert after["officer"] is not None and after["forum"] is None
    assert item(as_("bhabin"), report)["seen"] is True


def test_a_refused_action_marks_nothing(as_):  # noqa: F811
    report = submit().report
    response = as_("bhabin").post(f"{REPORTS}/{report.pk}/status", {"status": "in_progress", "version": 99})
    assert response.status_code == 409
    assert set(seen_at(report).values()) == {None}


def test_a_reply_from_the_report_page_marks_it_seen(login):
    report = submit(reply_channel="sms", phone="081234567890", anonymous=False, name="Made").report
    response = login("bhabin").post(f"/kerja/laporan/{report.pk}/balas/", {"text": "Kami segera datang."})
    assert response.status_code == 302
    assert seen_at(report)["officer"] is not None


def test_a_reopened_report_is_unseen_again(as_):  # noqa: F811
    done = submit()
    report = done.report
    as_("bhabin").post(f"{REPORTS}/{report.pk}/status",
                       {"status": "resolved", "summary": "Motor ditemukan.", "version": report.version})
    assert item(as_("bhabin"), report)["seen"] is True
    report_feedback_give(code=done.tracking_code, fixed=False, rating=2, reopen=True)
    assert set(seen_at(report).values()) == {None}
    assert item(as_("bhabin"), report)["seen"] is False
    assert report.pk in {i["id"] for i in all_items(as_("bhabin"), INBOX, unseen="true")}


@pytest.mark.parametrize("body", [
    {"ids": "1"}, {"ids": [-1]}, {"ids": [0]}, {"ids": ["1"]}, {"ids": [True]}, {"ids": [1.5]},
    {"ids": list(range(1, 202))}, {"ids": []}, {"ids": None}, {"ids": [2**63]},
])
def test_bad_ids_are_refused_naming_ids_and_change_nothing(as_, body):  # noqa: F811
    report = submit().report
    before = all_seen_at()
    response = as_("bhabin", lang="en").post(SEEN, body)
    assert response.status_code in (400, 422), response.content
    fields = [e["field"] for e in assert_error(response, response.status_code)["errors"]]
    assert any(f == "ids" or f.startswith("ids.") for f in fields), fields
    assert all_seen_at() == before
    assert report.pk


def test_an_id_written_as_a_whole_float_is_an_id(as_):  # noqa: F811
    # JSON Schema's "integer" takes 3.0 (the API document says integer; schemathesis sends it)
    report = submit().report
    response = as_("bhabin").post(SEEN, {"ids": [float(report.pk)]})
    assert response.status_code == 200 and response.json() == {"seen": 1}


def test_missing_ids_are_named(as_):  # noqa: F811
    assert_error(as_("bhabin").post(SEEN, {}), 422, "ids")


def test_two_hundred_ids_are_fine(as_):  # noqa: F811
    report = submit().report
    response = as_("bhabin").post(SEEN, {"ids": [report.pk, *range(10**6, 10**6 + 199)]})
    assert response.status_code == 200 and response.json() == {"seen": 1}


def test_a_body_that_is_not_json_or_not_declared_json_changes_nothing(client, token):
    report = submit().report
    before = all_seen_at()
    headers = {"Authorization": f"Bearer {token('bhabin')}"}
    not_json = client.post(SEEN, "ids=1", content_type="application/json", headers=headers)
    assert 400 <= not_json.status_code < 500
    form = client.post(SEEN, {"ids": [report.pk]}, headers=headers)  # multipart
    assert 400 <= form.status_code < 500
    text = client.post(SEEN, json.dumps({"ids": [report.pk]}), content_type="text/plain", headers=headers)
    assert 400 <= text.status_code < 500
    assert all_seen_at() == before


def test_anonymous_callers_get_401(as_):  # noqa: F811
    report = submit().report
    assert_error(as_(None).post(SEEN, {"ids": [report.pk]}), 401)
    assert set(seen_at(report).values()) == {None}


def test_the_inbox_asks_the_same_number_of_queries_for_one_report_or_many(as_):  # noqa: F811
    submit()
    bhabin = as_("bhabin")
    bhabin.get(INBOX)  # warm: the token, the language, the scope's first reads

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert bhabin.get(INBOX, limit=500).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(6):
        submit(description=f"Pencurian ayam nomor {n} di kandang warga.")
    inbox_mark_seen(user=person("bhabin"), report_ids=list(Report.objects.values_list("pk", flat=True))[:3])
    assert queries() == few


# --- the work queue (web) -------------------------------------------------------------------

def _queue_row(body: str, report: Report) -> str:
    start = body.index(f'data-report="{report.pk}"')
    return body[start:body.index("</li>", start)]


def test_the_queue_marks_new_reports_and_marks_all_as_seen(login):
    report = submit().report
    page = login("bhabin")
    with translation.override("en"):
        body = page.get("/kerja/", headers={"Accept-Language": "en"}).content.decode()
    assert 'class="tag new"' in _queue_row(body, report)
    assert 'action="/kerja/laporan/dilihat/"' in body and "csrfmiddlewaretoken" in body
    assert f'name="ids" value="{report.pk}"' in body
    response = page.post("/kerja/laporan/dilihat/", {"ids": [report.pk]})
    assert response.status_code == 302 and response["Location"] == "/kerja/"
    after = seen_at(report)
    assert after["officer"] is not None and after["forum"] is None
    body = page.get("/kerja/").content.decode()
    assert 'class="tag new"' not in _queue_row(body, report)
    assert 'action="/kerja/laporan/dilihat/"' not in body


def test_mark_all_needs_the_csrf_token(client):
    report = submit().report
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(person("bhabin"))
    assert checked.post("/kerja/laporan/dilihat/", {"ids": [report.pk]}).status_code == 403
    assert set(seen_at(report).values()) == {None}


@pytest.mark.parametrize("ids", [[], ["abc"], ["-1"], ["0"], [str(n) for n in range(1, 202)], ["1" * 30]])
def test_mark_all_refuses_bad_ids(login, ids):
    report = submit().report
    before = all_seen_at()
    response = login("bhabin").post("/kerja/laporan/dilihat/", {"ids": ids})
    assert response.status_code == 400 and b"ids" in response.content
    assert all_seen_at() == before
    assert report.pk


def test_mark_all_touches_only_the_callers_inbox(login):
    report = submit().report
    before = all_seen_at()
    for username in (OUTSIDER, "warga", "kapolsek"):
        assert login(username).post("/kerja/laporan/dilihat/", {"ids": [report.pk]}).status_code == 302
    assert all_seen_at() == before
