"""GET requests.json|xml: filters by id, service, dates and status; the 90-day window."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import person
from polmas.policing.tree import unit_for_region
from polmas.regions.models import Region
from polmas.reports.models import Report
from polmas.reports.services import report_merge, report_set_status

from .tools import LES, V2, assert_errors, ids_of, listing, report_new

pytestmark = pytest.mark.django_db
SAMBIRENTENG = "51.08.09.2009"  # another village of Tejakula


def at(report: Report, when: dt.datetime) -> Report:
    Report.objects.filter(pk=report.pk).update(created_at=when)
    return report


def test_by_default_the_last_90_days_are_listed_newest_first(client: Client) -> None:
    Report.objects.update(created_at=timezone.now() - dt.timedelta(days=200))  # demo data out of the way
    old = at(report_new(), timezone.now() - dt.timedelta(days=91))
    recent = at(report_new(text="Ayam hilang lagi."), timezone.now() - dt.timedelta(days=89))
    new = report_new(category="noise")
    assert [i["service_request_id"] for i in listing(client)] == [new.pk, recent.pk]
    assert old.pk not in ids_of(listing(client, "xml"))


def test_service_request_id_picks_several_and_overrides_other_filters(client: Client) -> None:
    a, b, c = report_new(), report_new(category="noise"), report_new()
    old = at(report_new(), timezone.now() - dt.timedelta(days=400))
    items = listing(client, service_request_id=f"{a.pk},{b.pk}, {old.pk}", service_code="fight")
    assert ids_of(items) == {a.pk, b.pk, old.pk}
    assert c.pk not in ids_of(items)


def test_service_code_filters_and_may_repeat(client: Client) -> None:
    theft, noise, fight = report_new(), report_new(category="noise"), report_new(category="fight")
    assert {theft.pk, noise.pk, fight.pk} & ids_of(listing(client, service_code="noise")) == {noise.pk}
    both = ids_of(listing(client, service_code="noise,fight"))
    assert {theft.pk, noise.pk, fight.pk} & both == {noise.pk, fight.pk}
    assert all(i["service_code"] in ("noise", "fight") for i in listing(client, service_code="noise,fight"))


def test_start_and_end_dates_bound_the_requested_time(client: Client) -> None:
    wib = dt.timezone(dt.timedelta(hours=7))
    march = at(report_new(), dt.datetime(2019, 3, 10, 9, 0, tzinfo=wib))
    april = at(report_new(), dt.datetime(2019, 4, 20, 9, 0, tzinfo=wib))
    items = listing(client, start_date="2019-03-01T00:00:00+07:00", end_date="2019-03-31T23:59:59+07:00")
    assert ids_of(items) == {march.pk}
    # A bare date covers that whole day; "Z" is UTC.
    assert ids_of(listing(client, start_date="2019-04-20", end_date="2019-04-20")) == {april.pk}
    assert ids_of(listing(client, start_date="2019-04-20T01:59:00Z", end_date="2019-04-20T02:00:00Z")) \
        == {april.pk}
    # start_date alone: 90 days from it.
    assert ids_of(listing(client, start_date="2019-03-05")) == {march.pk, april.pk}
    # end_date alone: the 90 days before it.
    assert ids_of(listing(client, end_date="2019-03-15")) == {march.pk}
    assert listing(client, start_date="2019-03-11", end_date="2019-04-19") == []


def test_status_open_and_closed_map_our_four_statuses(client: Client) -> None:
    received, handled, resolved = report_new(), report_new(), report_new()
    closed = report_new()
    kapolsek = person("kapolsek")
    report_set_status(actor=kapolsek, report_id=handled.pk, status="in_progress")
    report_set_status(actor=kapolsek, report_id=resolved.pk, status="resolved",
                      summary="Motor ditemukan dan dikembalikan.")
    report_set_status(actor=kapolsek, report_id=closed.pk, status="closed")
    mine = {received.pk, handled.pk, resolved.pk, closed.pk}
    assert ids_of(listing(client, status="open")) & mine == {received.pk, handled.pk}
    closed_items = listing(client, status="closed")
    assert ids_of(closed_items) & mine == {resolved.pk, closed.pk}
    assert ids_of(listing(client, status="open,closed")) & mine == mine
    [done] = [i for i in closed_items if i["service_request_id"] == resolved.pk]
    assert done["status"] == "closed" and done["status_notes"] == "Motor ditemukan dan dikembalikan."


def test_a_merged_duplicate_points_to_its_original_and_follows_its_status(client: Client) -> None:
    original = report_new(text="Pencurian ayam di banjar kaja.")
    duplicate = report_new(text="Ayam tetangga hilang dicuri.")
    kapolsek = person("kapolsek")
    report_merge(actor=kapolsek, report_id=duplicate.pk, into_id=original.pk)
    report_set_status(actor=kapolsek, report_id=original.pk, status="in_progress")
    [item] = listing(client, service_request_id=str(duplicate.pk))
    assert item["duplicate_of"] == original.pk
    assert f"request {original.pk}" in client.get(f"{V2}/requests/{duplicate.pk}.json",
                                                 headers={"Accept-Language": "en"}).json()[0]["status_notes"]
    assert item["status"] == "open"
    [orig] = listing(client, service_request_id=str(original.pk))
    assert orig["duplicate_of"] is None
    xml_item = listing(client, "xml", service_request_id=str(duplicate.pk))[0]
    assert xml_item["duplicate_of"] == str(original.pk)


def test_the_listing_is_capped_at_1000(client: Client, settings) -> None:
    first = report_new()
    Report.objects.bulk_create([
        Report(category=first.category, description="Ayam hilang.", village_id=SAMBIRENTENG, channel="web",
               tracking_hash=f"{i:064x}") for i in range(1005)])
    assert len(listing(client)) == 1000


@pytest.mark.parametrize(("params", "named"), [
    ({"start_date": "kemarin"}, "start_date"),
    ({"start_date": "2025-13-01"}, "start_date"),
    ({"end_date": "2025-02-30T10:00:00"}, "end_date"),
    ({"start_date": "2025-01-01", "end_date": "2025-06-01"}, "end_date"),
    ({"start_date": "2025-02-01", "end_date": "2025-01-01"}, "end_date"),
    ({"status": "pending"}, "status"),
    ({"service_code": "pothole"}, "service_code"),
    ({"service_request_id": "12;drop"}, "service_request_id"),
    ({"service_request_id": "-5"}, "service_request_id"),
    ({"service_code": "x" * 2100}, "service_code"),
])
def test_bad_filters_answer_400_naming_the_parameter(client: Client, params: dict, named: str) -> None:
    assert_errors(client.get(f"{V2}/requests.json", params), 400, named)
    assert_errors(client.get(f"{V2}/requests.xml", params), 400, named, fmt="xml")


def test_an_unknown_or_malformed_request_id_answers_404(client: Client) -> None:
    assert_errors(client.get(f"{V2}/requests/999999999.json"), 404, "service_request_id")
    assert_errors(client.get(f"{V2}/requests/abc.xml"), 404, "service_request_id", fmt="xml")


def test_listing_a_village_elsewhere_shows_its_own_address(client: Client) -> None:
    report = report_new(village=SAMBIRENTENG)
    [item] = listing(client, service_request_id=str(report.pk))
    assert item["address_id"] == SAMBIRENTENG and item["address"].endswith("Tejakula, Kabupaten Buleleng")
    other = report_new(village=LES)
    assert item["address"] != listing(client, service_request_id=str(other.pk))[0]["address"]


def test_the_listing_costs_the_same_few_queries_however_many_districts(
        client: Client, django_assert_max_num_queries) -> None:
    districts = Region.objects.filter(level=3, code__regex=r"^(51|34)\.").order_by("code")[:25]
    villages = [Region.objects.filter(parent=d).order_by("code").first() for d in districts]
    reports = [report_new(village=v.code) for v in villages if v is not None]
    with django_assert_max_num_queries(4):
        items = listing(client, service_request_id=",".join(str(r.pk) for r in reports))
    assert len(items) == len(reports) > 20
    # Each names the Polsek the unit tree routes its village to.
    for item in items:
        unit = unit_for_region(code=item["address_id"], kind="polsek")
        assert item["agency_responsible"] == (unit.name if unit else "")
    assert sum(bool(i["agency_responsible"]) for i in items) > 20
