"""The planner's model handed to a second solver (CBC through PuLP) for the cross-check."""

import math

import pulp

from polmas.planning.optimise import Geometry, Problem, build


def cbc_objective(problem: Problem) -> float:
    """The optimum of `problem`'s MILP (need of the free villages covered - penalties +
    tie-break), as CBC finds it."""
    geo = Geometry(problem)
    model = build(problem, geo)
    lp = pulp.LpProblem("polsek", pulp.LpMaximize)
    cols = [lp.add_variable(f"c{i}", lowBound=lo, upBound=up, cat="Integer")
            for i, (lo, up) in enumerate(zip(model.lower, model.upper, strict=True))]
    lp += pulp.lpSum(c * v for c, v in zip(model.cost, cols, strict=True))
    for n, (coefs, lo, up) in enumerate(model.rows):
        expr = pulp.lpSum(v * cols[i] for i, v in coefs.items())
        if lo != -math.inf:
            lp += expr >= lo, f"r{n}lo"
        if up != math.inf:
            lp += expr <= up, f"r{n}up"
    status = lp.solve(pulp.COIN_CMD(msg=False, gapRel=0, gapAbs=1e-7))
    # CBC reports a gap of 0 reached as GapLimit: optimal all the same.
    done = (pulp.LpSolveStatus.Optimal, pulp.LpSolveStatus.GapLimit)
    assert getattr(status, "status", status) in done, status
    return pulp.value(lp.objective) or 0.0
