"""The fair rotation, over many generated inputs: its rules always hold, load is spread,
shortages are reported exactly, and the same input gives the same plan."""

import datetime as dt
import random

import pytest

from polmas.activities.rotation import Person, movable, plan_rotation, week_of

START = dt.date(2026, 1, 5)  # a Monday
ALL = frozenset(range(7))


def _check_rules(plan, posts, people, nights, need, max_per_week):
    avail = {p.key: p.available for p in people}
    weekly: dict = {}
    short = set()
    for night in nights:
        seen = []
        for post in posts:
            keys = plan.slots[(night, post)]
            assert len(keys) == 0 or 2 <= len(keys) <= need, "never alone, never above need"
            for k in keys:
                assert night.weekday() in avail[k], "only on available nights"
                weekly[(k, week_of(nights[0], night))] = weekly.get((k, week_of(nights[0], night)), 0) + 1
            seen += keys
            if len(keys) < need:
                short.add((night, post, len(keys)))
        assert len(seen) == len(set(seen)), "one post a night"
    assert all(v <= max_per_week for v in weekly.values()), "weekly limit"
    assert {(s.night, s.post, s.assigned) for s in plan.shortages} == short
    assert all(s.needed == need for s in plan.shortages)


@pytest.mark.parametrize("seed", range(40))
def test_rules_hold_for_any_input(seed):
    rnd = random.Random(seed)
    posts = list(range(1, rnd.randint(1, 4) + 1))
    people = [Person(key=k, available=frozenset(rnd.sample(range(7), rnd.randint(1, 7))))
              for k in range(rnd.randint(2, 25))]
    nights = [START + dt.timedelta(days=i) for i in range(rnd.randint(1, 30))]
    need, cap = rnd.randint(2, 4), rnd.randint(1, 4)
    plan = plan_rotation(posts=posts, people=people, nights=nights, need=need, max_per_week=cap)
    _check_rules(plan, posts, people, nights, need, cap)
    again = plan_rotation(posts=posts, people=list(reversed(people)), nights=nights, need=need,
                          max_per_week=cap)
    assert again.slots == plan.slots and again.shortages == plan.shortages
    # As even as the rules allow: nobody holds a shift that someone with two fewer could take.
    assert movable(plan, people, nights[0], cap) is None


@pytest.mark.parametrize("seed", range(30))
def test_load_is_even_when_everyone_is_free(seed):
    rnd = random.Random(seed)
    posts = list(range(rnd.randint(1, 3)))
    need = rnd.randint(2, 3)
    nights = [START + dt.timedelta(days=i) for i in range(rnd.randint(7, 28))]
    people = [Person(key=k, available=ALL) for k in range(need * len(posts) + rnd.randint(0, 12))]
    # A weekly limit that the even share fits under: the plan is feasible.
    cap = -(-len(posts) * need * 7 // len(people))
    plan = plan_rotation(posts=posts, people=people, nights=nights, need=need, max_per_week=cap)
    _check_rules(plan, posts, people, nights, need, cap)
    assert plan.shortages == []
    counts = plan.counts(people).values()
    assert max(counts) - min(counts) <= 1


def test_a_volunteer_free_on_one_weekday_is_used_on_it():
    people = [Person(key=0, available=frozenset({0}))] + [Person(key=k, available=ALL) for k in range(1, 6)]
    nights = [START + dt.timedelta(days=i) for i in range(14)]
    plan = plan_rotation(posts=[1], people=people, nights=nights, need=2, max_per_week=3)
    assert plan.counts(people)[0] == 2  # both Mondays


def test_infeasible_input_names_the_short_nights_and_posts():
    # Three volunteers, two posts needing pairs: one post each night goes empty, never one alone.
    people = [Person(key=k, available=ALL) for k in range(3)]
    nights = [START + dt.timedelta(days=i) for i in range(4)]
    plan = plan_rotation(posts=[10, 20], people=people, nights=nights, need=2, max_per_week=7)
    assert len(plan.shortages) == 4
    assert all(s.assigned == 0 and s.needed == 2 for s in plan.shortages)
    # The empty post alternates instead of always being the same one.
    assert {s.post for s in plan.shortages} == {10, 20}


def test_weekly_limit_leaves_nights_short():
    people = [Person(key=k, available=ALL) for k in range(4)]
    nights = [START + dt.timedelta(days=i) for i in range(7)]
    plan = plan_rotation(posts=[1], people=people, nights=nights, need=2, max_per_week=2)
    # 4 people x 2 shifts = 8 places = 4 nights of pairs; 3 nights short.
    assert [s.night for s in plan.shortages] == nights[4:]
    assert set(plan.counts(people).values()) == {2}


def test_nobody_stands_alone():
    with pytest.raises(ValueError):
        plan_rotation(posts=[1], people=[], nights=[START], need=1, max_per_week=1)
    plan = plan_rotation(posts=[1], people=[Person(key=1, available=ALL)], nights=[START], need=2,
                         max_per_week=7)
    assert plan.slots[(START, 1)] == [] and plan.shortages[0].assigned == 0


def test_weeks_count_from_the_rosters_first_day():
    people = [Person(key=k, available=ALL) for k in range(2)]
    sunday_monday = [START + dt.timedelta(days=6), START + dt.timedelta(days=7)]
    split = plan_rotation(posts=[1], people=people, nights=sunday_monday, need=2, max_per_week=1, start=START)
    assert split.shortages == []
    same_week = plan_rotation(posts=[1], people=people, nights=sunday_monday, need=2, max_per_week=1)
    assert [s.night for s in same_week.shortages] == [sunday_monday[1]]
