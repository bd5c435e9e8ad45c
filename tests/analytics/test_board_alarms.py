"""Issue 19, item 4: the standing alarms (new or acknowledged) on the dashboards and their
map, for the readers of alarms only, in the viewer's scope; sensitive matters at district
level and only for supervisors, PPA officers and administrators. The card is drawn per viewer,
so a kept board never serves one viewer's alarms to another, and an alarm acted on leaves it."""

import datetime as dt
import json

import pytest

from polmas.earlywarning.models import Alarm
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db
LES = "51.08.09.2007"
TEJAKULA = "51.08.09"
WEEK = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _data(board_data):
    return board_data


def _alarm(**kw) -> Alarm:
    values = {"region_id": LES, "group": "property", "week": WEEK, "weeks": 2, "villages": [LES],
              "observed": 9, "expected": 2.0, "detector": "negbin", "top_category": "theft"}
    return Alarm.objects.create(**{**values, **kw})


def _sensitive() -> Alarm:
    return _alarm(region_id=TEJAKULA, group="sensitive", villages=[], detector="district", observed=6)


def _neighbour() -> str:
    return Region.objects.under(TEJAKULA).filter(level=4).exclude(code=LES).order_by("code").values_list(
        "code", flat=True).first()


def card(html: str) -> str:
    start = html.index('id="board-alarms"')
    return html[start:html.index("</section>", start)]


def map_alarms(html: str) -> dict:
    return json.loads(html.split('id="map-alarms" type="application/json">', 1)[1].split("</script>", 1)[0])


def test_a_supervisor_sees_the_alarms_of_the_board_with_links_and_the_map_marks_their_village(login):
    alarm = _alarm()
    html = login("kapolsek").get(f"/dashboard/{TEJAKULA}/").content.decode()
    shown = card(html)
    assert 'data-alarms="1"' in html
    assert f'data-alarm="{alarm.pk}"' in shown and f'href="/peringatan/{alarm.pk}/"' in shown
    assert 'href="/peringatan/"' in shown
    assert map_alarms(html)["counts"] == {LES: 1}
    # The card comes after the title and filters, before the headline figures.
    assert html.index("<h1>") < html.index('id="board-alarms"') < html.index('id="trend"')
    regency = login("kapolres").get("/dashboard/51.08/").content.decode()
    assert map_alarms(regency)["counts"] == {TEJAKULA: 1}
    national = login("admin").get("/dashboard/").content.decode()
    assert map_alarms(national)["counts"] == {"51": 1}


def test_an_acted_on_alarm_leaves_the_kept_board_at_once_and_a_new_one_appears(login):
    acknowledged = _alarm(status=Alarm.Status.ACKNOWLEDGED)
    client = login("kapolres")
    first = client.get("/dashboard/51.08/").content.decode()
    assert f'data-alarm="{acknowledged.pk}"' in card(first)  # acknowledged still stands
    Alarm.objects.filter(pk=acknowledged.pk).update(status=Alarm.Status.DISMISSED, reason="market day")
    fresh = _alarm(region_id=_neighbour(), villages=[_neighbour()], group="violence")
    again = client.get("/dashboard/51.08/").content.decode()  # the same rollup stamp: the kept body
    assert f'data-alarm="{acknowledged.pk}"' not in again
    assert f'data-alarm="{fresh.pk}"' in card(again)


def test_a_sensitive_alarm_is_shown_at_district_level_only_to_the_roles_that_see_it(login):
    sealed = _sensitive()
    ppa = login("ppa").get("/dashboard/51.08/").content.decode()
    assert f'data-alarm="{sealed.pk}"' in card(ppa)
    assert map_alarms(ppa)["counts"] == {TEJAKULA: 1}
    district = login("kapolsek").get(f"/dashboard/{TEJAKULA}/").content.decode()
    assert f'data-alarm="{sealed.pk}"' in card(district)
    assert map_alarms(district)["counts"] == {}  # no village of the district is marked
    village = login("kapolsek").get(f"/dashboard/{LES}/").content.decode()
    assert f'data-alarm="{sealed.pk}"' not in village and 'data-alarms="0"' in village
    bhabin = login("bhabin").get(f"/dashboard/{LES}/").content.decode()
    assert f'data-alarm="{sealed.pk}"' not in bhabin


def test_the_village_officer_sees_a_cluster_filed_at_a_neighbour_that_names_their_village(login):
    other = _neighbour()
    cluster = _alarm(region_id=other, villages=[other, LES], detector="neighbourhood")
    elsewhere = _alarm(region_id=other, villages=[other], group="violence")
    html = login("bhabin").get(f"/dashboard/{LES}/").content.decode()
    assert f'data-alarm="{cluster.pk}"' in card(html)
    assert f'data-alarm="{elsewhere.pk}"' not in html


def test_no_card_for_those_who_do_not_read_alarms_even_after_a_supervisor_kept_the_board(login):
    _sensitive()
    supervisor = login("kapolres").get("/dashboard/51.08/").content.decode()
    assert 'id="board-alarms"' in supervisor
    planner = login("bappenas").get("/dashboard/51.08/").content.decode()
    assert 'id="board-alarms"' not in planner and 'id="map-alarms"' not in planner
    assert 'id="map-points"' in planner  # the same kept board otherwise


def test_an_outsider_sees_none_of_the_alarms_of_another_province(login):
    alarm = _alarm()
    html = login("kapolsek_depok").get("/dashboard/34.04.07/").content.decode()
    assert 'data-alarms="0"' in html and f'data-alarm="{alarm.pk}"' not in html


def test_more_alarms_than_the_card_lists_are_counted_and_linked(login):
    villages = list(Region.objects.under(TEJAKULA).filter(level=4).order_by("code").values_list(
        "code", flat=True)[:7])
    for code in villages:
        _alarm(region_id=code, villages=[code])
    html = login("kapolsek", ).get(f"/dashboard/{TEJAKULA}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = card(html)
    assert shown.count("data-alarm=") == 5 and "and 2 more" in shown
    assert sum(map_alarms(html)["counts"].values()) == 7


@pytest.mark.parametrize("path", ["/dashboard/", f"/dashboard/{TEJAKULA}/", f"/dashboard/{LES}/"])
def test_the_card_costs_two_queries_however_many_alarms_stand(login, django_assert_max_num_queries, path):
    client = login("admin")
    client.get(path)  # warm the session and keep the board
    # the kept board's 6 (see test_dashboard_views) + 2, and on the country's board + 6 for
    # the road map's card (drawn per viewer too; none below a regency)
    budget = 14 if path == "/dashboard/" else 8
    with django_assert_max_num_queries(budget):
        client.get(path)
    for code in Region.objects.under(TEJAKULA).filter(level=4).values_list("code", flat=True)[:12]:
        _alarm(region_id=code, villages=[code, LES])
    with django_assert_max_num_queries(budget):
        assert 'data-alarms="' in client.get(path).content.decode()
