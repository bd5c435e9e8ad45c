"""The estimators find what is planted, and nothing where nothing is (no database)."""

import numpy as np
import pytest

from polmas.evaluation import estimators as E
from polmas.evaluation.planted import planted_panel


@pytest.fixture(scope="module")
def single():
    # One area: 24 villages inside two regencies, a -30% drop from month 25 of 48.
    return planted_panel(seed=1, places=240, clusters=20, months=48, cohorts={25: -0.3},
                         treated_share=0.1, treated_clusters=2)


@pytest.fixture(scope="module")
def staggered():
    # Three cohorts with different effects that grow over a year: the case where naive two-way
    # fixed effects compares late starters against early ones.
    return planted_panel(seed=2, places=400, clusters=30, months=48,
                         cohorts={13: -0.5, 25: -0.3, 37: -0.1}, treated_share=0.75, ramp=12)


def test_single_area_drop_is_recovered_and_covered(single):
    est = E.staggered_did(single.panel, seed=1, biters=199)
    assert abs(single.true_pct - -30.0) < 1e-9
    assert abs(est.estimate_pct - single.true_pct) <= 5
    assert est.ci_low_pct <= single.true_pct <= est.ci_high_pct
    assert est.n_treated == 24 and est.n_comparison == 216
    # Two treated regencies are too few to cluster on: the bootstrap draws by village.
    assert est.extra["cluster_by"] == "village"
    assert est.pre_trend_p is not None and 0 <= est.pre_trend_p <= 1
    assert [e["e"] for e in est.event][:2] == [-12, -11]


def test_synthetic_control_single_area(single):
    est = E.synthetic_control(single.panel)
    assert abs(est.estimate_pct - single.true_pct) <= 5
    # Placebo in space: no comparison area has a larger post/pre gap than the treated one.
    assert est.extra["placebo_p"] == pytest.approx(1 / (1 + est.extra["placebos"]))


def test_staggered_cs_recovers_while_twfe_is_biased(staggered):
    cs = E.staggered_did(staggered.panel, seed=1, biters=199)
    tw = E.twfe(staggered.panel)
    assert abs(cs.estimate_pct - staggered.true_pct) <= 3
    assert cs.ci_low_pct <= staggered.true_pct <= cs.ci_high_pct
    assert cs.extra["cluster_by"] == "regency"
    assert abs(tw.estimate_pct - staggered.true_pct) > 6
    # ... and its narrow interval excludes the truth: confidently wrong.
    assert not (tw.ci_low_pct <= staggered.true_pct <= tw.ci_high_pct)


def test_not_yet_treated_pool_recovers_too(staggered):
    cs = E.staggered_did(staggered.panel, pool=E.NOT_YET, seed=1, biters=99)
    assert abs(cs.estimate_pct - staggered.true_pct) <= 3
    assert cs.n_comparison > E.staggered_did(staggered.panel, seed=1, biters=99).n_comparison


def test_cross_check_attgt_against_statsmodels(staggered):
    cells = E.attgt_cells(staggered.panel)
    for _, c in cells.sample(6, random_state=0).iterrows():
        att, se = E.attgt_by_ols(staggered.panel, int(c.g), int(c.t))
        assert att == pytest.approx(c.att, abs=1e-6)
        assert se == pytest.approx(c.se, rel=0.05)


def test_placebo_coverage_small():
    """No effect planted: the 95% interval should exclude 0 about 5% of the time. 40 runs here on
    seeds used nowhere else (bench/evaluation.py runs 400 and reports the rate with its
    Monte-Carlo interval): at most 4, i.e. not the 8% of csdid's own bootstrap."""
    excluded = 0
    for seed in range(40):
        p = planted_panel(seed=70_000 + seed, places=120, clusters=20, months=24,
                          cohorts={13: 0.0}, treated_share=0.5)
        est = E.staggered_did(p.panel, seed=seed, biters=999)
        assert est.extra["wild_cluster_bootstrap"] == "webb"
        excluded += not (est.ci_low_pct <= 0 <= est.ci_high_pct)
    assert excluded <= 4, excluded


def test_leverage_corrected_cluster_scores_are_the_cluster_jackknife():
    """The leverage-corrected cluster scores with power 1 (CR3), divided by n, are exactly how
    much the estimate moves when each regency is left out (one cohort against the never
    treated), which the plain cluster sums csdid bootstraps are not; the interval's CR2 variance
    lies between the two."""
    from csdid.att_gt import ATTgt

    def fit(panel):
        df = E._prepare(panel, int(panel["t"].max()))
        m = ATTgt(yname="y", tname="t", idname="id", gname="g", data=df,
                  control_group="nevertreated")
        m = E._quiet(m.fit, est_method="reg", base_period="varying", bstrap=False)
        s = E._quiet(m.aggte, typec="simple", bstrap=False).atte
        units = df.groupby("id", sort=True).agg(cl=("cluster", "first"), g=("g", "first"))
        return (float(np.asarray(s["overall_att"]).reshape(-1)[0]),
                np.asarray(s["inf_function"]["simple_att"], dtype=float).reshape(-1), units)

    p = planted_panel(seed=7, places=80, clusters=8, months=8, cohorts={5: 0.0},
                      treated_share=0.5)
    att, inf, units = fit(p.panel)
    cl, g = units["cl"].to_numpy(), units["g"].to_numpy()
    scores = E.cluster_scores(inf, cl, g, power=1)
    cr2 = E.cluster_scores(inf, cl, g)
    plain = np.bincount(np.unique(units["cl"], return_inverse=True)[1], weights=inf)
    moved = []
    for k, c in enumerate(sorted(units["cl"].unique())):
        without, *_ = fit(p.panel[p.panel["cluster"] != c])
        moved.append(att - without)
        assert scores[k] / len(inf) == pytest.approx(att - without, rel=1e-9, abs=1e-12)
    assert not np.allclose(plain / len(inf), moved, rtol=1e-3)
    assert (plain**2).sum() < (cr2**2).sum() < (scores**2).sum()


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda df: df.assign(g=0), "no_treated"),
    (lambda df: df.assign(g=np.where(df.g > 0, 1, 0)), "no_pre_period"),
    (lambda df: df.assign(y=3.0), "no_variation"),
    (lambda df: df.assign(g=np.where(df.place < "p00236", 25, 0)), "pool_too_small"),
])
def test_bad_panels_are_refused(single, mutate, code):
    with pytest.raises(E.EstimationRefused) as exc:
        E.staggered_did(mutate(single.panel.copy()), biters=9)
    assert exc.value.code == code


def test_pre_trend_test_is_quiet_without_and_fires_with_a_trend():
    quiet = [E.staggered_did(planted_panel(seed=400 + s, places=120, clusters=20, months=36,
                                           cohorts={19: 0.0}).panel, seed=s, biters=49)
             .pre_trend_p for s in range(8)]
    # About 5% of tests fail by chance; 2 of 8 would already be far too many.
    assert sum(p < 0.05 for p in quiet) <= 1, quiet
    trend = planted_panel(seed=401, places=120, clusters=20, months=36, cohorts={19: 0.0},
                          drift=0.06)
    est = E.staggered_did(trend.panel, seed=1, biters=49)
    assert est.pre_trend_p < 0.01
