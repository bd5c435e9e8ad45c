"""The fair rotation of volunteers over posts and nights: a pure function, no database.

Rules it keeps, always: a volunteer stands only on nights they are available, holds at most
one post a night and at most `max_per_week` shifts in each 7-night block from the first
night, and never stands alone (a post gets 0 volunteers or at least 2, never more than
`need`). Within those it spreads the load: each night the least-served volunteers go first,
and among equals those with the fewest nights left to serve (so someone free only on
Mondays is used on Mondays). A last pass then hands single shifts from the most-served to
the least-served wherever the rules allow, until no volunteer holds two shifts more than
another who could take one of them. Ties break on the volunteer's key, so the same input
always gives the same plan. Every post-night left below `need` is listed as a shortage.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

MIN_PER_POST = 2


@dataclass(frozen=True)
class Person:
    key: int
    available: frozenset[int]  # weekday numbers, Monday = 0


@dataclass(frozen=True)
class Shortage:
    night: dt.date
    post: int
    needed: int
    assigned: int


@dataclass
class Plan:
    # (night, post) -> volunteer keys
    slots: dict[tuple[dt.date, int], list[int]] = field(default_factory=dict)
    shortages: list[Shortage] = field(default_factory=list)

    def counts(self, people: Sequence[Person]) -> dict[int, int]:
        out = {p.key: 0 for p in people}
        for keys in self.slots.values():
            for k in keys:
                out[k] += 1
        return out


def week_of(start: dt.date, night: dt.date) -> int:
    return (night - start).days // 7


def _post_sizes(n_posts: int, supply: int, need: int) -> list[int]:
    """How many volunteers each post gets tonight, pairs first, then topped up in turn."""
    sizes = [0] * n_posts
    for i in range(n_posts):
        if supply >= MIN_PER_POST:
            sizes[i] = MIN_PER_POST
            supply -= MIN_PER_POST
    while supply > 0 and any(0 < s < need for s in sizes):
        for i in range(n_posts):
            if supply > 0 and 0 < sizes[i] < need:
                sizes[i] += 1
                supply -= 1
    return sizes


def plan_rotation(*, posts: Sequence[int], people: Sequence[Person], nights: Sequence[dt.date],
                  need: int, max_per_week: int, start: dt.date | None = None) -> Plan:
    """Assign volunteers to every (night, post); see the module docstring for the rules.
    Weeks are counted in 7-night blocks from `start` (default: the first night)."""
    if need < MIN_PER_POST:
        raise ValueError("need must be at least 2: nobody stands alone")
    plan = Plan()
    if not nights:
        return plan
    start = start or min(nights)
    people = sorted(people, key=lambda p: p.key)
    total = {p.key: 0 for p in people}
    weekly: dict[tuple[int, int], int] = {}
    left = {p.key: sum(1 for n in nights if n.weekday() in p.available) for p in people}
    for index, night in enumerate(sorted(nights)):
        week = week_of(start, night)
        free = [p for p in people if night.weekday() in p.available]
        for p in free:
            left[p.key] -= 1
        eligible = [p for p in free if weekly.get((p.key, week), 0) < max_per_week]
        eligible.sort(key=lambda p: (total[p.key], weekly.get((p.key, week), 0), left[p.key], p.key))
        # Rotate which post is served first, so a short night does not always empty the same post.
        order = [posts[(index + i) % len(posts)] for i in range(len(posts))] if posts else []
        sizes = _post_sizes(len(order), min(len(eligible), need * len(order)), need)
        chosen = iter(eligible)
        for post, size in zip(order, sizes, strict=True):
            keys = [next(chosen).key for _ in range(size)]
            for k in keys:
                total[k] += 1
                weekly[(k, week)] = weekly.get((k, week), 0) + 1
            plan.slots[(night, post)] = keys
        for post in posts:
            got = len(plan.slots[(night, post)])
            if got < need:
                plan.shortages.append(Shortage(night=night, post=post, needed=need, assigned=got))
    _rebalance(plan, people, start, max_per_week)
    return plan


def movable(plan: Plan, people: Sequence[Person], start: dt.date, max_per_week: int
            ) -> tuple[int, int, tuple[dt.date, int]] | None:
    """A shift the most-served could hand to someone with two fewer, keeping every rule:
    (from, to, slot), or None when the plan is as even as single moves can make it."""
    avail = {p.key: p.available for p in people}
    count = plan.counts(people)
    on_night: dict[dt.date, set[int]] = defaultdict(set)
    weekly: Counter[tuple[int, int]] = Counter()
    held: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for slot in sorted(plan.slots):
        night = slot[0]
        for k in plan.slots[slot]:
            on_night[night].add(k)
            weekly[(k, week_of(start, night))] += 1
            held[k].append(slot)
    order = sorted(count, key=lambda k: (count[k], k))
    for high in reversed(order):
        for low in order:
            if count[high] - count[low] < 2:
                break
            for night, post in held[high]:
                if (night.weekday() in avail[low] and low not in on_night[night]
                        and weekly[(low, week_of(start, night))] < max_per_week):
                    return high, low, (night, post)
    return None


def _rebalance(plan: Plan, people: Sequence[Person], start: dt.date, max_per_week: int) -> None:
    # Each move narrows the gap between two volunteers by two, so the loop ends.
    while (move := movable(plan, people, start, max_per_week)) is not None:
        high, low, slot = move
        plan.slots[slot] = [low if k == high else k for k in plan.slots[slot]]
