"""GET /reports: the reports in the caller's scope, filtered, never with the reporter."""

import datetime as dt

import pytest
from django.utils import timezone

from api.conftest import all_items, assert_error
from conftest import OUTSIDER
from polmas.reports.models import Report
from reports_api.conftest import REPORTS

pytestmark = pytest.mark.django_db

DEPOK_VILLAGE = "34.04.07.2001"
TEJAKULA_OTHER = "51.08.09.2001"


def ids(caller, **params) -> set[int]:
    return {item["id"] for item in all_items(caller, REPORTS, **params)}


@pytest.fixture
def reports(file_report):
    """A theft and a sealed matter in Les, noise elsewhere in Tejakula, a theft in Depok."""
    return {
        "les": file_report(),
        "sealed": file_report(category="domestic_violence", description="Ibu dipukul suaminya."),
        "tejakula": file_report(category="noise", description="Musik keras.", village=TEJAKULA_OTHER),
        "depok": file_report(village=DEPOK_VILLAGE),
    }


def test_a_kapolsek_lists_their_district_but_not_depok_nor_sealed_matters(as_, reports):
    seen = ids(as_("kapolsek"))
    assert {reports["les"].pk, reports["tejakula"].pk} <= seen
    assert reports["depok"].pk not in seen and reports["sealed"].pk not in seen
    assert seen == set(Report.objects.filter(village__code__startswith="51.08.09.", sensitive=False)
                       .values_list("pk", flat=True))


def test_a_supervisor_in_yogyakarta_lists_depok_only(as_, reports):
    seen = ids(as_(OUTSIDER))
    assert reports["depok"].pk in seen and not seen & {reports["les"].pk, reports["tejakula"].pk}


def test_the_bhabin_and_ppa_list_the_sealed_matter_and_the_forum_member_does_not(as_, reports):
    assert reports["sealed"].pk in ids(as_("bhabin")) and reports["sealed"].pk in ids(as_("ppa"))
    assert ids(as_("fkpm")) >= {reports["les"].pk} and reports["sealed"].pk not in ids(as_("fkpm"))
    assert reports["tejakula"].pk not in ids(as_("bhabin")) | ids(as_("fkpm"))


def test_an_item_shows_the_report_without_its_reporter(as_, file_report):
    report = file_report(anonymous=False, name="Komang Ayu", phone="081234567890", reply_channel="sms")
    item = next(i for i in all_items(as_("kapolsek"), REPORTS) if i["id"] == report.pk)
    assert {k: item[k] for k in ("category", "category_name", "sensitive", "status", "village_code",
                                 "village_name", "channel", "description", "hidden", "version")} == {
        "category": "theft", "category_name": "Pencurian", "sensitive": False, "status": "received",
        "village_code": "51.08.09.2007", "village_name": "Les", "channel": "api",
        "description": "Sepeda motor dicuri di depan rumah.", "hidden": False, "version": 1}
    assert "reporter" not in item and "latitude" not in item and "Komang" not in str(item)


@pytest.mark.parametrize("username", ["warga", "mitra", "bappenas"])
def test_residents_partners_and_planners_see_no_reports(as_, reports, username):
    assert as_(username).get(REPORTS).json() == {"items": [], "count": 0}


def test_it_refuses_anonymous_callers(as_):
    assert_error(as_(None).get(REPORTS), 401)


def test_it_filters_by_status_category_and_region(as_, reports):
    Report.objects.filter(pk=reports["les"].pk).update(status="in_progress")
    kapolsek = as_("kapolsek")
    assert reports["les"].pk in ids(kapolsek, status="in_progress")
    assert {i["status"] for i in all_items(kapolsek, REPORTS, status="in_progress")} == {"in_progress"}
    assert reports["les"].pk not in ids(kapolsek, status="received")
    assert reports["tejakula"].pk in ids(kapolsek, category="noise")
    assert reports["les"].pk not in ids(kapolsek, category="noise")
    les_only = ids(kapolsek, region="51.08.09.2007")
    assert reports["les"].pk in les_only and reports["tejakula"].pk not in les_only
    assert ids(kapolsek, region="51.08") == ids(kapolsek)
    assert ids(kapolsek, region="34") == set()


def test_it_filters_by_the_day_received(as_, reports):
    Report.objects.filter(pk=reports["les"].pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    today = timezone.localdate()
    kapolsek = as_("kapolsek")
    recent = ids(kapolsek, since=(today - dt.timedelta(days=2)).isoformat())
    assert reports["tejakula"].pk in recent and reports["les"].pk not in recent
    old = ids(kapolsek, until=(today - dt.timedelta(days=5)).isoformat())
    assert reports["les"].pk in old and reports["tejakula"].pk not in old
    assert reports["tejakula"].pk in ids(kapolsek, since=today.isoformat(), until=today.isoformat())


def test_it_lists_or_leaves_out_duplicates(as_, file_report):
    first, second = file_report(), file_report(description="Motor lain hilang.")
    assert second.likely_duplicate_of_id == first.pk
    bhabin = as_("bhabin")
    only, exclude = ids(bhabin, duplicates="only"), ids(bhabin, duplicates="exclude")
    assert second.pk in only and first.pk not in only
    assert first.pk in exclude and second.pk not in exclude


def test_it_lists_or_leaves_out_spam(as_, file_report):
    spam, real = file_report(), file_report(category="noise", description="Bising.")
    Report.objects.filter(pk=spam.pk).update(spam=True)
    assert spam.pk in ids(as_("bhabin"), spam=True) and real.pk not in ids(as_("bhabin"), spam=True)
    assert spam.pk not in ids(as_("bhabin"), spam=False)


@pytest.mark.parametrize("params,field", [
    ({"region": "51.8"}, "region"), ({"region": "51.08.09.9999"}, "region"),
    ({"category": "unicorns"}, "category"),
    ({"since": "2026-03-02", "until": "2026-03-01"}, "until"),
])
def test_bad_filters_answer_400_naming_the_parameter(as_, params, field):
    assert_error(as_("kapolsek").get(REPORTS, **params), 400, field)


@pytest.mark.parametrize("params,field", [
    ({"status": "done"}, "status"), ({"duplicates": "some"}, "duplicates"),
    ({"since": "0001-01-01"}, "since"), ({"until": "9999-12-31"}, "until"), ({"since": "kemarin"}, "since"),
    ({"category": "theft\x00"}, "category"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset"),
])
def test_malformed_filters_answer_422_naming_the_parameter(as_, params, field):
    assert_error(as_("kapolsek").get(REPORTS, **params), 422, field)
