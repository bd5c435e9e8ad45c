"""The reads routing asks of other rooms, each kept by its owner: the officer posted to a
village (policing), its standing forums (forums) and the PPA units over it (policing, from
access's grants). Nothing but those rules decides who a report goes to."""

import datetime as dt

import pytest

from polmas.access.models import Role
from polmas.forums import selectors as forum_selectors
from polmas.forums.models import Forum
from polmas.policing import selectors as policing_selectors
from polmas.policing.models import Assignment, PoliceUnit
from polmas.regions import codes
from polmas.reports import lookups

pytestmark = pytest.mark.django_db
LES = "51.08.09.2007"


def test_an_ended_posting_and_a_dissolved_forum_receive_nothing():
    posting = Assignment.objects.get(village_id=LES, end__isnull=True)
    forum = Forum.objects.filter(village_id=LES).exclude(status=Forum.Status.DISSOLVED).first()
    assert lookups.postings_and_forums([LES]) == {LES: (posting.officer_id, [forum.pk])}

    Assignment.objects.filter(pk=posting.pk).update(end=dt.date.today())
    Forum.objects.filter(pk=forum.pk).update(status=Forum.Status.DISSOLVED)

    assert policing_selectors.posted_officers([LES]) == {}
    assert forum_selectors.standing_forums_by_village([LES]) == {}
    assert lookups.postings_and_forums([LES]) == {LES: (None, [])}


def test_ppa_units_are_those_with_a_ppa_grant_over_the_village():
    units = lookups.ppa_units(codes.ancestors(LES) + [""], role=Role.PPA_OFFICER)
    assert units == [PoliceUnit.objects.get(kind="polres", region_id="51.08").pk]  # the demo's `ppa`
    assert lookups.ppa_units(codes.ancestors("34.04.07.2001") + [""], role=Role.PPA_OFFICER) == []
