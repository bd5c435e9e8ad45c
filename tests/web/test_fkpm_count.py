"""The FKPM count is one definition (issue 15, item 15): the home page and the dashboard show
the same number of villages with a standing FKPM, counted on today's date."""

import datetime as dt

import pytest
from django.utils import timezone

from polmas.analytics.services import rollups_rebuild
from polmas.forums.models import Forum
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db
DISTRICT = "51.08.09"  # Tejakula: the kapolsek's


def figure(html: str, name: str) -> str:
    marker = f'data-figure="{name}"><span class="value">'
    return html.split(marker, 1)[1].split("<", 1)[0]


def both(client, code: str) -> tuple[str, str]:
    home = client.get("/").content.decode()
    board = client.get(f"/dashboard/{code}/?year={timezone.localdate().year}").content.decode()
    return figure(home, "with_forum"), figure(board, "villages_with_forum")


def forumless() -> Region:
    return (Region.objects.filter(code__startswith=f"{DISTRICT}.", level=4)
            .exclude(code__in=Forum.objects.values("village_id")).order_by("code").first())


@pytest.mark.parametrize("who, code", [("kapolsek", DISTRICT), ("kapolda", "51")])
def test_a_forum_founded_tomorrow_counts_on_neither_page(login, who, code):
    Forum.objects.create(name="Forum Besok", village=forumless(),
                         founded_on=timezone.localdate() + dt.timedelta(days=1))
    rollups_rebuild()

    home, board = both(login(who), code)

    assert home == board


def test_a_second_forum_in_a_village_does_not_count_twice(login):
    with_one = Forum.objects.filter(village__code__startswith=f"{DISTRICT}.").first()
    Forum.objects.create(name="Forum Kedua", village_id=with_one.village_id,
                         founded_on=timezone.localdate() - dt.timedelta(days=30))
    rollups_rebuild()

    home, board = both(login("kapolsek"), DISTRICT)

    assert home == board
