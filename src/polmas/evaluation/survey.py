"""Survey indicators as outcomes: a regency x wave panel read from the surveys room's published
estimates (``surveys.selectors`` only; no response and no village figure ever leaves that
room).

The survey is representative per regency, not per village, and it runs in waves (a year each),
not monthly. So the unit is the regency and the period the wave:

- a regency is *treated* when it holds a place of the intervention; its start is the earliest
  start of its places (the effect is diluted when the programme covers only some of its
  villages: the page says so);
- a wave is dated 1 July of its year (mid-fieldwork); a regency is treated from the first wave
  dated on or after its start;
- a treated regency needs a wave before and a wave after its start; the waves kept are those
  in which every treated regency has a published estimate, and a comparison regency must have
  one in each of them (a balanced panel);
- the estimator is the same Callaway-Sant'Anna DiD as the monthly outcomes, on the regency
  means weighted by their answers (the mean n over the waves kept: csdid needs weights that
  do not change over time), with the same small-cluster interval (estimators.cluster_interval).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

# outcome (the evaluation's choice) -> the survey's indicator
SURVEY_OUTCOMES = {"feel_safe": "feel_safe", "trust_police": "trust_police"}
MIN_TREATED_REGENCIES = 2  # one treated regency has no variance of its own to state


def wave_date(year: int) -> dt.date:
    return dt.date(year, 7, 1)


class SurveyPanelRefused(ValueError):
    def __init__(self, code: str, **facts):
        super().__init__(code)
        self.code = code
        self.facts = facts


def survey_panel(*, outcome: str, starts: dict[str, dt.date],
                 comparison: set[str] | None = None, first: int | None = None,
                 last: int | None = None) -> tuple[pd.DataFrame, dict]:
    """(panel, facts): one row per regency and wave, columns place (= cluster, the regency),
    cluster, t (wave number 1..W), g (first treated wave, 0 never), y (percent), n (answers)
    and w (the regency's mean answers, the weight). ``starts``: regency code -> start.
    ``comparison``, when given, limits the comparison to those regencies; otherwise every
    regency of the treated regencies' provinces with estimates is a comparison. ``first`` and
    ``last`` (YYYYMM) keep the waves dated between them."""
    from polmas.surveys.selectors import regency_waves

    indicator = SURVEY_OUTCOMES[outcome]
    provinces = sorted({c[:2] for c in starts})
    waves = [(s, {c: cell for c, cell in cells.items() if c[:2] in provinces})
             for s, cells in regency_waves(indicator=indicator)]
    waves = [(s, cells) for s, cells in waves if cells
             and (first is None or s.year * 100 + 7 >= first)
             and (last is None or s.year * 100 + 7 <= last)]
    facts: dict = {"indicator": indicator, "waves_seen": len(waves)}
    if not waves:
        raise SurveyPanelRefused("no_waves", **facts)
    dates = [wave_date(s.year) for s, _ in waves]
    treated = {}
    for code, start in starts.items():
        seen = [i for i, (_s, cells) in enumerate(waves) if code in cells]
        before = [i for i in seen if dates[i] < start]
        after = [i for i in seen if dates[i] >= start]
        if before and after:
            treated[code] = start
    facts["treated_without_waves"] = len(starts) - len(treated)
    if not treated:
        raise SurveyPanelRefused("no_wave_around_start", **facts)
    keep = [i for i, (_s, cells) in enumerate(waves) if all(c in cells for c in treated)]
    others = set().union(*(cells for _s, cells in waves)) - set(starts)
    if comparison is not None:
        others &= comparison
    controls = sorted(c for c in others if all(c in waves[i][1] for i in keep))
    rows = []
    for t, i in enumerate(keep, start=1):
        sample, cells = waves[i]
        for code in sorted(treated) + controls:
            cell = cells[code]
            start = treated.get(code)
            g = 0
            if start is not None:
                g = next(k for k, j in enumerate(keep, start=1) if dates[j] >= start) \
                    if any(dates[j] >= start for j in keep) else 0
            rows.append({"place": code, "cluster": code, "t": t, "g": g,
                         "y": float(cell.value), "n": int(cell.n), "wave": sample.wave,
                         "year": sample.year})
    frame = pd.DataFrame(rows, columns=["place", "cluster", "t", "g", "y", "n", "wave", "year"])
    # A treated regency whose start falls before the first kept wave has no pre wave in the
    # panel; one that starts after the last has no post wave: neither can be compared.
    frame = frame[~frame["place"].isin(frame.loc[(frame["g"] == 1), "place"])]
    late = [c for c in treated if c in set(frame["place"])
            and (frame.loc[frame["place"] == c, "g"] == 0).all()]
    frame = frame[~frame["place"].isin(late)].reset_index(drop=True)
    frame["w"] = frame.groupby("place")["n"].transform("mean")
    units = frame.groupby("place")["g"].first()
    facts.update({
        "waves": [{"wave": waves[i][0].wave, "year": waves[i][0].year} for i in keep],
        "treated_regencies": int((units > 0).sum()),
        "comparison_regencies": int((units == 0).sum()),
        "answers": int(frame["n"].sum()),
        "answers_treated": int(frame.loc[frame["g"] > 0, "n"].sum()),
    })
    if facts["treated_regencies"] == 0:
        raise SurveyPanelRefused("no_wave_around_start", **facts)
    if facts["treated_regencies"] < MIN_TREATED_REGENCIES:
        raise SurveyPanelRefused("one_regency", **facts)
    return frame, facts


def panel_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(
        frame[["place", "t", "g", "y", "n"]], index=False).to_numpy().tobytes()).hexdigest()


def regency_starts(village_starts: dict[str, dt.date]) -> dict[str, dt.date]:
    """The earliest start of each regency's places."""
    out: dict[str, dt.date] = {}
    for code, day in village_starts.items():
        r = code[:5]
        out[r] = min(day, out.get(r, day))
    return out
