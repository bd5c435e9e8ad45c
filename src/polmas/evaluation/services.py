"""Run an evaluation and save it; record and derive interventions."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import math
import time

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.evaluation import estimators as E
from polmas.evaluation.models import EvaluationRun, Intervention, InterventionPlace
from polmas.evaluation.panel import (
    OUTCOMES,
    data_range,
    fidelity,
    fidelity_score,
    month_of,
    panel_build,
)
from polmas.evaluation.survey import (
    MIN_TREATED_REGENCIES,
    SURVEY_OUTCOMES,
    SurveyPanelRefused,
    panel_hash,
    regency_starts,
    survey_panel,
)

LIBRARIES = ("csdid", "pysyncon", "statsmodels", "pandas", "numpy", "scipy")


class EvaluationError(ValueError):
    """Refused with a reason; ``field`` names the input at fault."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _reason(code: str) -> str:
    return {
        "no_treated": _("The intervention has no places with data in this period."),
        "no_pre_period": _("Every place starts before the period: there is nothing to compare "
                           "before the start."),
        "no_post_period": _("Every place starts after the period: there is no time after the "
                            "start to measure."),
        "pool_too_small": _("The comparison pool is empty or too small to estimate."),
        "no_variation": _("The outcome does not vary in this period: there is nothing to "
                          "estimate."),
        "bad_pool": _("Choose never-treated or not-yet-treated places."),
        "not_estimable": _("The estimate could not be computed on these data."),
        "not_single_area": _("Synthetic control needs one area with one start."),
    }.get(code, code)


def versions() -> dict[str, str]:
    out = {}
    for lib in LIBRARIES:
        try:
            out[lib] = importlib.metadata.version(lib)
        except importlib.metadata.PackageNotFoundError:
            out[lib] = ""
    return out


def _month(value: int | None, field: str) -> int | None:
    if value is None:
        return None
    if not (190001 <= value <= 299912) or not (1 <= value % 100 <= 12):
        raise EvaluationError(field, _("Give a month as YYYYMM."))
    return value


def evaluate(*, intervention: Intervention, outcome: str = "reports", pool: str = E.NEVER,
             period_from: int | None = None, period_to: int | None = None,
             prefixes: tuple[str, ...] = ("",), user=None, seed: int = 0,
             biters: int = 499, synthetic: bool = True, save: bool = True) -> dict:
    """Estimate the intervention's effect on `outcome` and save the run.

    The comparison area is every village of the provinces the treated places are in, within
    the caller's `prefixes`. Raises EvaluationError (field, reason) on bad input."""
    if outcome not in OUTCOMES and outcome not in SURVEY_OUTCOMES:
        raise EvaluationError("outcome", _("Unknown outcome."))
    if pool not in E.POOLS:
        raise EvaluationError("pool", _reason("bad_pool"))
    period_from = _month(period_from, "period_from")
    period_to = _month(period_to, "period_to")
    places = list(intervention.places.all())
    if not places:
        raise EvaluationError("intervention", _("The intervention has no places."))
    from polmas.core.scope import any_covers

    starts = {p.region_code: p.start for p in places if any_covers(prefixes, p.region_code)}
    starts = _villages_of(starts)
    if not starts:
        raise EvaluationError("intervention", _("The intervention has no places."))
    only = None
    if intervention.comparison:
        # The programme's own comparison villages (those in scope) are the only comparison.
        chosen = _villages_of({c: dt.date.min for c in intervention.comparison
                               if any_covers(prefixes, c)})
        only = set(starts) | (set(chosen) - set(starts))
        if len(set(chosen) - set(starts)) < E.MIN_COMPARISON:
            raise EvaluationError("pool", _reason("pool_too_small"))
    places_all = set(starts) | (only or set())
    area = sorted({c[:2] for c in places_all})
    area = [a for a in area if any_covers(prefixes, a)] or sorted(
        p for p in prefixes if any(c.startswith(p) for c in places_all))
    if outcome in SURVEY_OUTCOMES:
        return _evaluate_survey(intervention=intervention, outcome=outcome, pool=pool,
                                starts=starts, comparison=only, area=area,
                                period_from=period_from, period_to=period_to, user=user,
                                seed=seed, biters=biters, save=save)
    have = data_range(area)
    if have is None:
        raise EvaluationError("period_from", _("There are no data for these places."))
    # By default the period ends with the last whole month: the current one is still filling.
    last_whole = now_month() - 1 if now_month() % 100 != 1 else now_month() - 89
    default_last = min(have[1], last_whole)
    if intervention.ends is not None:
        default_last = min(default_last, month_of(intervention.ends))
    first, last = period_from or have[0], period_to or default_last
    if first < have[0] or last > have[1] or first >= last:
        raise EvaluationError("period_from", _("The period lies outside the data (%(a)s to %(b)s).")
                              % {"a": have[0], "b": have[1]})
    if all(month_of(d) <= first for d in starts.values()):
        raise EvaluationError("period_from", _reason("no_pre_period"))
    started = time.monotonic()
    panel = panel_build(outcome=outcome, starts=starts, area=area, first=first, last=last,
                        only=only)
    timings = {"panel": round(time.monotonic() - started, 2)}
    if panel.incomplete:
        _enough_data(panel, outcome=outcome, pool=pool)
    try:
        est = E.staggered_did(panel.frame, pool=pool, seed=seed, biters=biters)
    except E.EstimationRefused as exc:
        raise EvaluationError(exc.field, _reason(exc.code)) from exc
    timings["did"] = round(time.monotonic() - started, 2)
    result = est.as_json()
    result.update({
        "outcome": outcome, "pool": pool, "period_from": first, "period_to": last,
        "cluster_by": est.extra.get("cluster_by"), "n_clusters": est.n_clusters,
        "pre_trend_failed": bool(est.pre_trend_p is not None and est.pre_trend_p < 0.05),
        "event": [{k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                   for k, v in e.items()} for e in est.event],
        "baseline_per_month": round(est.baseline, 4),
    })
    # The set once, not per treated village: a national panel has 4 million rows.
    in_panel = set(panel.frame["place"].unique())
    treated_starts = {c: d for c, d in starts.items() if c in in_panel}
    distinct = {month_of(d) for d in treated_starts.values()}
    if synthetic and len(distinct) == 1:
        try:
            sc = E.synthetic_control(panel.frame)
            result["synthetic_control"] = {
                "estimate_pct": round(sc.estimate_pct, 4),
                "placebo_p": round(sc.extra["placebo_p"], 4),
                "placebos": sc.extra["placebos"]}
        except (E.EstimationRefused, ValueError, np.linalg.LinAlgError):
            result["synthetic_control"] = None
    timings["synthetic"] = round(time.monotonic() - started, 2)
    fid = fidelity(starts=treated_starts, last=last)
    result["fidelity"] = fid
    result["fidelity_split"] = _fidelity_split(panel.frame, fid, pool=pool, seed=seed)
    timings["fidelity"] = round(time.monotonic() - started, 2)
    result["seconds"] = timings
    result["reading"] = reading(result)
    if save:
        result["run"] = _run_save(intervention=intervention, outcome=outcome, pool=pool,
                                  first=first, last=last, digest=panel.data_hash, result=result,
                                  parameters={"seed": seed, "biters": biters, "area": area},
                                  user=user).pk
    result["data_hash"] = panel.data_hash
    return result


def _run_save(*, intervention: Intervention, outcome: str, pool: str, first: int, last: int,
              digest: str, result: dict, parameters: dict, user) -> EvaluationRun:
    """The run, saved with what it takes to rerun it (the method's fixed choices added to
    `parameters`), and its audit entry."""
    with transaction.atomic():
        run = EvaluationRun.objects.create(
            intervention=intervention, outcome=outcome, pool=pool, period_from=first,
            period_to=last, data_hash=digest, versions=versions(), result=result,
            parameters={**parameters, "alpha": 0.05,
                        "comparison": sorted(intervention.comparison),
                        "method": "callaway_santanna", "est_method": "reg",
                        "base_period": "varying"},
            created_by=user if getattr(user, "is_authenticated", False) else None)
        audit_record(actor=user, action="evaluation.run", obj=run,
                     detail={"intervention": intervention.slug, "outcome": outcome})
    return run


def _survey_refusal(exc: SurveyPanelRefused) -> EvaluationError:
    f = exc.facts
    if exc.code == "no_waves":
        reason = _("No survey wave has published estimates for the regencies of this "
                   "intervention's provinces.")
    elif exc.code == "one_regency":
        reason = _("The survey is representative per regency, and the places of this "
                   "intervention lie in only %(t)s regency with a survey wave before and after "
                   "its start: at least %(m)s are needed to state the uncertainty.") % {
            "t": f.get("treated_regencies", 0), "m": MIN_TREATED_REGENCIES}
    else:
        reason = _("The survey has no wave before and after the start in the regencies of this "
                   "intervention (%(n)s regencies without): survey indicators cannot be "
                   "evaluated here.") % {"n": f.get("treated_without_waves", 0)}
    return EvaluationError("outcome", reason)


def _evaluate_survey(*, intervention: Intervention, outcome: str, pool: str,
                     starts: dict[str, dt.date], comparison: set[str] | None, area: list[str],
                     period_from: int | None, period_to: int | None, user, seed: int,
                     biters: int, save: bool) -> dict:
    """A survey indicator as the outcome: Callaway-Sant'Anna on the regency x wave panel
    (evaluation.survey), weighted by the answers, with the same small-cluster interval. The
    effect is given in percentage points and in percent of the counterfactual level."""
    started = time.monotonic()
    reg_starts = regency_starts(starts)
    try:
        frame, facts = survey_panel(
            outcome=outcome, starts=reg_starts,
            comparison=None if comparison is None else {c[:5] for c in comparison},
            first=period_from, last=period_to)
    except SurveyPanelRefused as exc:
        raise _survey_refusal(exc) from exc
    try:
        est = E.staggered_did(frame, pool=pool, seed=seed, biters=biters, weights="w")
    except E.EstimationRefused as exc:
        if exc.code == "pool_too_small":
            raise EvaluationError("outcome", _(
                "Too few comparison regencies have survey estimates in every wave: %(c)s (at "
                "least %(m)s are needed).") % {"c": facts["comparison_regencies"],
                                              "m": E.MIN_COMPARISON}) from exc
        raise EvaluationError("outcome" if exc.field == "period" else exc.field,
                              _reason(exc.code)) from exc
    first = int(frame["year"].min()) * 100 + 7
    last = int(frame["year"].max()) * 100 + 7
    result = est.as_json()
    result.update({
        "outcome": outcome, "pool": pool, "period_from": first, "period_to": last,
        "unit": "regency", "cluster_by": "regency", "n_clusters": est.n_clusters,
        "pre_trend_failed": bool(est.pre_trend_p is not None and est.pre_trend_p < 0.05),
        "event": [{k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                   for k, v in e.items()} for e in est.event],
        "baseline_per_month": round(est.baseline, 4),
        "effect_points": round(est.att, 2), "ci_low_points": round(est.ci_low, 2),
        "ci_high_points": round(est.ci_high, 2), "survey": facts,
        "synthetic_control": None, "fidelity_split": None,
    })
    treated = set(frame.loc[frame["g"] > 0, "place"])
    result["fidelity"] = fidelity(starts={c: d for c, d in starts.items() if c[:5] in treated},
                                  last=last)
    result["seconds"] = {"survey": round(time.monotonic() - started, 2)}
    result["reading"] = reading(result)
    digest = panel_hash(frame)
    if save:
        result["run"] = _run_save(
            intervention=intervention, outcome=outcome, pool=pool, first=first, last=last,
            digest=digest, result=result, user=user,
            parameters={"seed": seed, "biters": biters, "area": area,
                        "unit": "regency x survey wave",
                        "weights": "answers per regency (mean over the waves)"}).pk
    result["data_hash"] = digest
    return result


def _enough_data(panel, *, outcome: str, pool: str) -> None:
    """A median outcome keeps only the villages with a value in every month: refuse, naming
    the outcome, when too few treated or comparison villages are left."""
    units = panel.frame.groupby("place")["g"].first()
    treated = units[units > 0]
    comparable = (units == 0) if pool == E.NEVER else (
        (units == 0) | (units > (treated.min() if len(treated) else 0)))
    if len(treated) < E.MIN_TREATED or int(comparable.sum()) < E.MIN_COMPARISON:
        raise EvaluationError("outcome", _(
            "Too little data for this outcome: only %(t)s treated and %(c)s comparison "
            "villages have a value in every month of the period (%(n)s left out). Choose a "
            "shorter period or another outcome.") % {
            "t": len(treated), "c": int(comparable.sum()), "n": panel.incomplete})


def _villages_of(starts: dict[str, dt.date]) -> dict[str, dt.date]:
    """A place given as a district or regency stands for each of its villages."""
    from polmas.regions.models import Region

    out: dict[str, dt.date] = {}
    for code, day in starts.items():
        if len(code) == 13:
            out[code] = day
        else:
            for v in Region.objects.villages().under(code).values_list("code", flat=True):
                out.setdefault(v, day)
    return out


def _fidelity_split(frame, fid: list[dict], *, pool: str, seed: int) -> dict | None:
    """The effect among the treated places of high and of low fidelity (split at the median
    score), each against the same comparison pool. Descriptive: fidelity was not assigned."""
    if len(fid) < 4:
        return None
    scores = {r["place"]: fidelity_score(r) for r in fid}
    median = float(np.median(list(scores.values())))
    out = {"descriptive": True}
    for name, keep in (("high", lambda s: s > median), ("low", lambda s: s <= median)):
        chosen = {p for p, s in scores.items() if keep(s)}
        sub = frame[(frame["g"] == 0) | frame["place"].isin(chosen)]
        try:
            est = E.staggered_did(sub, pool=pool, seed=seed, biters=99)
            out[name] = {"estimate_pct": round(est.estimate_pct, 2),
                         "ci_low_pct": round(est.ci_low_pct, 2),
                         "ci_high_pct": round(est.ci_high_pct, 2), "n_treated": est.n_treated}
        except E.EstimationRefused:
            out[name] = None
    return out


def reading(result: dict) -> str:
    """The plain-language reading: "a 28% fall, 95% interval 19-36%"."""
    est, lo, hi = result["estimate_pct"], result["ci_low_pct"], result["ci_high_pct"]
    if est is None:
        return _("No estimate.")
    if result.get("unit") == "regency":
        return _survey_reading(result)
    if lo is not None and hi is not None and lo <= 0 <= hi:
        text = _("No clear change: %(est)s, 95 percent interval %(a)s to %(b)s.") % {
            "est": f"{est:+.0f}%", "a": f"{lo:+.0f}%", "b": f"{hi:+.0f}%"}
    elif est < 0:
        text = _("A %(est)s fall, 95 percent interval %(a)s-%(b)s.") % {
            "est": f"{-est:.0f}%", "a": f"{-hi:.0f}", "b": f"{-lo:.0f}%"}
    else:
        text = _("A %(est)s rise, 95 percent interval %(a)s-%(b)s.") % {
            "est": f"{est:.0f}%", "a": f"{lo:.0f}", "b": f"{hi:.0f}%"}
    if result.get("pre_trend_failed"):
        text += " " + _("Warning: before the start the places already moved apart "
                        "(pre-trend test failed), so read the estimate with care.")
    return text


def _survey_reading(result: dict) -> str:
    """A survey indicator's reading, in percentage points, naming the level and the answers."""
    from polmas.evaluation.models import Outcome

    est, lo, hi = (result["effect_points"], result["ci_low_points"],
                   result["ci_high_points"])
    facts = result.get("survey") or {}
    what = dict(Outcome.choices).get(result["outcome"], result["outcome"])
    values = {"what": what, "est": f"{est:+.1f}", "a": f"{lo:+.1f}", "b": f"{hi:+.1f}",
              "t": facts.get("treated_regencies", 0), "c": facts.get("comparison_regencies", 0),
              "n": facts.get("answers", 0)}
    if lo <= 0 <= hi:
        text = _("No clear change in %(what)s: %(est)s points, 95 percent interval %(a)s to "
                 "%(b)s points.") % values
    else:
        text = _("A change of %(est)s points in %(what)s, 95 percent interval %(a)s to %(b)s "
                 "points.") % values
    text += " " + _("Regency level: %(t)s treated and %(c)s comparison regencies, %(n)s survey "
                    "answers.") % values
    if result.get("pre_trend_failed"):
        text += " " + _("Warning: before the start the places already moved apart "
                        "(pre-trend test failed), so read the estimate with care.")
    return text


def intervention_record(*, slug: str, name: str, places: dict[str, dt.date],
                        source: str = Intervention.Source.RECORDED, planted_pct=None,
                        user=None) -> Intervention:
    """Create or replace an intervention and its places (idempotent by slug)."""
    if not places:
        raise EvaluationError("places", _("The intervention has no places."))
    with transaction.atomic():
        item, _created = Intervention.objects.update_or_create(
            slug=slug, defaults={"name": name, "source": source, "planted_pct": planted_pct,
                                 "created_by": user})
        item.places.all().delete()
        InterventionPlace.objects.bulk_create(
            [InterventionPlace(intervention=item, region_code=c, start=d)
             for c, d in sorted(places.items())])
    return item


def intervention_from_programme(*, programme, user=None) -> Intervention:
    """A partner programme (its places, its comparison villages and its period) registered as
    an intervention, slug ``program-<id>``; registering again brings it up to date. The caller
    checks that the programme is visible to the user (partners.selectors.programme_get)."""
    places = {code: programme.starts_on
              for code in programme.places.values_list("code", flat=True)}
    if not places:
        raise EvaluationError("programme", _("The programme has no places."))
    with transaction.atomic():
        item = intervention_record(slug=f"program-{programme.pk}", name=programme.name[:150],
                                   places=places, user=user)
        item.comparison = sorted(programme.comparison.values_list("code", flat=True))
        item.ends = programme.ends_on
        item.description = _("Partner programme of %(org)s.") % {
            "org": programme.organisation.name}
        item.save(update_fields=["comparison", "ends", "description"])
        audit_record(actor=user, action="evaluation.programme", obj=item,
                     detail={"programme": programme.pk})
    return item


def interventions_derive() -> list[Intervention]:
    """The platform's own roll-outs: the first Bhabinkamtibmas posting to each village, and the
    founding of each village's first FKPM (read through policing's and forums' querysets)."""
    from django.db.models import Min

    from polmas.forums.models import Forum
    from polmas.policing.models import Assignment

    posted = dict(Assignment.objects.values("village_id").annotate(s=Min("start"))
                  .values_list("village_id", "s"))
    founded = dict(Forum.objects.filter(founded_on__isnull=False).values("village_id")
                   .annotate(s=Min("founded_on")).values_list("village_id", "s"))
    out = []
    for slug, name, places in (
            ("bhabin-first-posting", _("First Bhabinkamtibmas posting"), posted),
            ("fkpm-founding", _("FKPM founding"), founded)):
        if places:
            out.append(intervention_record(slug=slug, name=str(name), places=places,
                                           source=Intervention.Source.DERIVED))
    return out


def now_month() -> int:
    return month_of(timezone.localdate())
