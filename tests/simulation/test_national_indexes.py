"""PostgreSQL: the national load writes without the big tables' secondary indexes and builds
them again after, also when the load fails or was killed (core/db/indexes.py)."""

import pytest
from django.db import connection

from conftest import SEED
from polmas.cases.models import Case
from polmas.cases.selectors import problems_resolved
from polmas.core.db.indexes import indexes_set_aside, pending, secondary_indexes
from polmas.core.scope import prefix_q
from polmas.simulation.national import national_generate
from polmas.simulation.national_rows import MODELS

pytestmark = [pytest.mark.django_db]
YEAR = 2017
SCALED = 400  # Bali's share of a scaled-down country
BALI = prefix_q("village_id", ["51"])


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("indexes are set aside on PostgreSQL only")


class Interrupted(Exception):
    pass


def test_sqlite_and_others_keep_their_indexes_and_record_nothing():
    seen = []
    national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED,
                      progress=lambda n: seen.append(pending()))
    assert problems_resolved(YEAR, "51") == SCALED
    if connection.vendor != "postgresql":
        assert seen and not any(seen)


def test_the_load_runs_without_the_secondary_indexes_and_they_come_back_the_same(postgresql):
    before = secondary_indexes(MODELS)
    assert len(before) > 40  # ForeignKey, _like and Meta.indexes of the 12 tables
    during = []
    national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED,
                      progress=lambda n: during.append(len(secondary_indexes(MODELS))))
    assert during and set(during) == {0}
    assert secondary_indexes(MODELS) == before
    assert pending() == []
    assert problems_resolved(YEAR, "51") == SCALED


def test_a_failed_load_writes_nothing_and_the_indexes_come_back_and_a_rerun_works(postgresql):
    before = secondary_indexes(MODELS)
    villages = 0

    def interrupt(n):
        nonlocal villages
        villages += n
        if villages > 100:
            raise Interrupted

    with pytest.raises(Interrupted):
        national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED, progress=interrupt)
    assert secondary_indexes(MODELS) == before
    assert pending() == []
    assert not Case.objects.filter(BALI).exists()
    written = national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED)
    assert written.provinces == 1
    assert problems_resolved(YEAR, "51") == SCALED
    assert secondary_indexes(MODELS) == before


def test_indexes_left_aside_by_a_killed_load_are_built_by_the_next_run(postgresql):
    before = secondary_indexes(MODELS)
    # What a process killed between the drop and the rebuild leaves: no finally ran.
    dropped = indexes_set_aside(MODELS)
    assert sorted(dropped) == sorted(name for _, name, _ in before)
    assert secondary_indexes(MODELS) == []
    assert pending() == sorted(dropped)
    national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED)
    assert secondary_indexes(MODELS) == before
    assert pending() == []


def test_a_province_added_to_fuller_tables_keeps_the_indexes(postgresql):
    national_generate(year=YEAR, seed=SEED, provinces=["51"], resolved_total=SCALED)
    during = []
    # Yogyakarta's share here is a tenth of what Bali's tables already hold.
    national_generate(year=YEAR, seed=SEED, provinces=["34"], resolved_total=SCALED // 10,
                      progress=lambda n: during.append(len(secondary_indexes(MODELS))))
    assert during and min(during) > 40
