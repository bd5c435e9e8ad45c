"""The optimiser on planted problems (fixed seeds, no database): constraints, optimality
against a second solver (CBC), the greedy floor, and stability of an applied plan."""

import itertools
import random

import pytest

from polmas.planning.optimise import (
    Geometry,
    Problem,
    Village,
    evaluate,
    greedy,
    haversine_km,
    solve,
)

from .second_solver import cbc_objective


def planted(seed: int, n: int = 12, officers: int = 4, k: int = 3, d: float = 6.0,
            new: int = 0, penalty: float = 0.5) -> Problem:
    rng = random.Random(seed)
    villages = [Village(f"51.08.09.{2001 + i}", -8.1 + rng.random() * 0.15,
                        115.3 + rng.random() * 0.15, round(1 + rng.random() * 4, 3),
                        approximate=i == 0) for i in range(n)]
    pool = [v.code for v in villages]
    rng.shuffle(pool)
    current: dict[str, list[str]] = {}
    for o in range(officers):
        take = rng.randint(0, 2)
        current[f"{79000000 + o}"] = sorted(pool[:take])
        pool = pool[take:]
    return Problem(district="51.08.09", villages=villages, current=current, k=k, d_km=d,
                   new_officers=new, move_penalty=penalty)


def check_feasible(problem: Problem, postings: dict[str, list[str]]) -> None:
    where = {v.code: v for v in problem.villages}
    seen: set[str] = set()
    for officer, villages in postings.items():
        assert len(villages) <= problem.k, officer
        for code in villages:
            assert code in where, "a village outside the Polsek"
            assert code not in seen, "two officers on one village"
            seen.add(code)
        for a, b in itertools.combinations(villages, 2):
            va, vb = where[a], where[b]
            assert haversine_km(va.lat, va.lon, vb.lat, vb.lon) <= problem.d_km + 1e-9


SEEDS = range(8)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_posting_keeps_k_d_and_the_polsek(seed):
    problem = planted(seed, new=seed % 3)
    solution = solve(problem)
    check_feasible(problem, solution.postings)
    assert set(solution.postings) == set(problem.officers())
    assert solution.gap <= 0.005


@pytest.mark.parametrize("seed", SEEDS)
def test_the_plan_equals_the_second_solver(seed):
    problem = planted(seed, n=9, officers=3, k=2 + seed % 2, new=seed % 2)
    solution = solve(problem)
    assert solution.objective == pytest.approx(cbc_objective(problem), abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_plan_is_never_worse_than_greedy(seed):
    problem = planted(seed, n=15, officers=5, new=1)
    solution, base = solve(problem), greedy(problem)
    check_feasible(problem, base.postings)
    assert solution.objective >= base.objective - 1e-9
    assert solution.need_covered >= base.need_covered - 1e-9


def test_the_plan_beats_greedy_where_greedy_is_myopic():
    # One officer, k=2, d=5: greedy takes the neediest village (alone, far from the rest),
    # the optimum takes the two close ones whose sum is larger.
    villages = [Village("a", 0.0, 0.0, 3.0), Village("b", 0.0, 1.0, 2.0), Village("c", 0.0, 1.01, 2.0)]
    problem = Problem(district="x", villages=villages, current={"79000001": []}, k=2, d_km=5)
    assert greedy(problem).need_covered == 3.0
    solution = solve(problem)
    assert solution.postings == {"79000001": ["b", "c"]}
    assert solution.need_covered == 4.0


@pytest.mark.parametrize("seed", SEEDS)
def test_applying_a_plan_and_planning_again_moves_nobody(seed):
    problem = planted(seed, new=0)
    first = solve(problem)
    problem.current = {o: vs for o, vs in first.postings.items()}
    again = solve(problem)
    assert again.moved == []
    assert again.postings == first.postings


def test_a_move_happens_only_when_it_gains_more_than_its_penalty():
    villages = [Village("a", 0.0, 0.0, 1.0), Village("b", 0.0, 0.01, 1.8)]
    current = {"79000001": ["a"]}
    stay = solve(Problem(district="x", villages=villages, current=current, k=1, d_km=5,
                         move_penalty=1.0))
    assert stay.postings == {"79000001": ["a"]} and stay.moved == []
    move = solve(Problem(district="x", villages=villages, current=current, k=1, d_km=5,
                         move_penalty=0.5))
    assert move.postings == {"79000001": ["b"]} and move.moved == ["79000001"]


def test_a_posting_breaking_k_is_trimmed_and_counted_as_a_move():
    villages = [Village(c, 0.0, i * 0.001, 1.0 + i) for i, c in enumerate("abc")]
    problem = Problem(district="x", villages=villages, current={"79000001": ["a", "b", "c"]}, k=2,
                      d_km=5)
    solution = solve(problem)
    assert solution.postings == {"79000001": ["b", "c"]}
    assert solution.moved == ["79000001"]
    covered, moved, _ = evaluate(problem, solution.postings)
    assert covered == 5.0 and moved == ["79000001"]


def test_villages_covered_by_another_unit_are_counted_and_not_offered():
    villages = [Village("a", 0.0, 0.0, 1.0), Village("b", 0.0, 0.01, 2.0)]
    problem = Problem(district="x", villages=villages, current={"79000001": []}, fixed={"b"}, k=2,
                      d_km=5)
    solution = solve(problem)
    assert solution.postings == {"79000001": ["a"]}
    assert solution.need_covered == 3.0


def test_far_pairs_follow_the_haversine_distance():
    # Denpasar to Singaraja is about 60 km.
    assert haversine_km(-8.65, 115.216, -8.112, 115.088) == pytest.approx(61.5, abs=1.5)
    villages = [Village("a", 0.0, 0.0, 1.0), Village("b", 0.0, 0.05, 1.0)]  # ~5.6 km apart
    geo = Geometry(Problem(district="x", villages=villages, current={}, k=2, d_km=5))
    assert geo.far == {(0, 1)}
