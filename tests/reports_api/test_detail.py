"""GET /reports/{id}: the report in full for the police, less for the forum, 404 outside scope,
and a sealed report only with a stated, audited reason for supervisors."""

import pytest

from api.conftest import assert_error
from conftest import OUTSIDER
from polmas.access.models import AuditEntry
from polmas.forums.models import Forum
from polmas.policing.models import Officer
from polmas.reports.models import Report
from reports_api.conftest import REPORTS

pytestmark = pytest.mark.django_db

CONTACT = {"anonymous": False, "name": "Komang Ayu", "phone": "081234567890",
           "email": "komang@example.test", "reply_channel": "sms"}
HERE = {"latitude": -8.1471, "longitude": 115.3666}


def detail(caller, report: Report, **params):
    return caller.get(f"{REPORTS}/{report.pk}", **params)


def test_the_bhabin_reads_the_report_with_its_reporter_route_and_history(as_, file_report):
    report = file_report(**CONTACT, **HERE)
    body = detail(as_("bhabin"), report).json()
    assert body["id"] == report.pk and body["description"] == report.description
    assert body["reporter"] == {"anonymous": False, "name": "Komang Ayu", "phone": "081234567890",
                                "email": "komang@example.test", "reply_channel": "sms"}
    assert (body["latitude"], body["longitude"]) == (HERE["latitude"], HERE["longitude"])
    bhabin = Officer.objects.get(user__username="bhabin")
    forum = Forum.objects.filter(village_id="51.08.09.2007").first()
    assert {"why": "officer", "name": bhabin.name} in body["routed_to"]
    assert {"why": "forum", "name": forum.name} in body["routed_to"]
    assert [(e["kind"], e["status"], e["public"]) for e in body["events"]] == [("received", "received", True)]
    assert body["has_photo"] is False and body["version"] == 1


def test_the_forum_member_reads_the_report_but_not_who_sent_it_nor_where_exactly(as_, file_report):
    report = file_report(**CONTACT, **HERE)
    response = detail(as_("fkpm"), report)
    body = response.json()
    assert response.status_code == 200 and body["description"] == report.description
    assert body["reporter"] is None and body["latitude"] is None and body["longitude"] is None
    assert b"Komang" not in response.content and b"0812" not in response.content


def test_the_likely_duplicate_shows_in_the_detail(as_, file_report):
    first, second = file_report(), file_report(description="Motor lain hilang.")
    body = detail(as_("bhabin"), second).json()
    assert body["likely_duplicate_of"] == first.pk and body["duplicate_of"] is None


def test_a_supervisor_out_of_scope_gets_404(as_, file_report):
    body = assert_error(detail(as_(OUTSIDER, lang="en"), file_report()), 404)
    assert body == {"detail": "Not found.", "errors": []}


@pytest.mark.parametrize("username", ["warga", "mitra", "bappenas"])
def test_residents_partners_and_planners_get_404(as_, file_report, username):
    assert_error(detail(as_(username), file_report()), 404)


def test_it_refuses_anonymous_callers(as_, file_report):
    assert_error(detail(as_(None), file_report()), 401)


def test_an_unknown_report_is_404_and_a_malformed_id_422(as_):
    missing = (Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    assert_error(as_("admin").get(f"{REPORTS}/{missing}"), 404)
    for bad in ("abc", "0", "-3", str(2**64)):
        assert_error(as_("admin").get(f"{REPORTS}/{bad}"), 422, "report_id")


@pytest.fixture
def sealed(file_report):
    return file_report(category="domestic_violence", description="Ibu dipukul suaminya tiap malam.",
                       **CONTACT)


def test_the_forum_member_never_sees_a_sealed_report_of_their_village(as_, sealed):
    assert_error(detail(as_("fkpm"), sealed), 404)
    assert_error(detail(as_("fkpm"), sealed, reason="ingin tahu"), 404)


def test_a_kapolsek_needs_a_reason_to_open_a_sealed_report_and_it_is_audited(as_, sealed):
    body = assert_error(detail(as_("kapolsek", lang="en"), sealed), 403, "reason")
    assert "sealed" in body["detail"] and "?reason=" in body["detail"]
    assert not AuditEntry.objects.filter(action="report.read_sealed", actor__username="kapolsek").exists()
    response = detail(as_("kapolsek"), sealed, reason="Pemeriksaan kasus KDRT oleh Kapolsek")
    assert response.status_code == 200
    assert response.json()["reporter"]["phone"] == "081234567890"
    entry = AuditEntry.objects.get(action="report.read_sealed", actor__username="kapolsek")
    assert entry.reason == "Pemeriksaan kasus KDRT oleh Kapolsek" and entry.object_id == str(sealed.pk)


def test_a_blank_or_malformed_reason_does_not_open_it(as_, sealed):
    assert_error(detail(as_("kapolres"), sealed, reason="   "), 403, "reason")
    assert_error(detail(as_("kapolres"), sealed, reason="alasan\x00"), 422, "reason")
    assert_error(detail(as_("kapolres"), sealed, reason="x" * 1001), 422, "reason")


@pytest.mark.parametrize("username", ["ppa", "bhabin", "admin"])
def test_the_ppa_officer_and_the_village_officer_read_it_without_a_reason(as_, sealed, username):
    response = detail(as_(username), sealed)
    assert response.status_code == 200 and response.json()["category"] == "domestic_violence"
    assert AuditEntry.objects.filter(action="report.read_sealed", actor__username=username).exists()


def test_a_supervisor_out_of_scope_cannot_open_it_even_with_a_reason(as_, sealed):
    assert_error(detail(as_(OUTSIDER), sealed, reason="alasan"), 404)
