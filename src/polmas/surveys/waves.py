"""Running a wave end to end (the simulator's and the demo's path), and storing estimates."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from polmas.regions import codes
from polmas.regions.models import Region
from polmas.surveys import estimates, planted, sampling
from polmas.surveys.instruments import standard_ensure
from polmas.surveys.models import Estimate, Response, Sample, SampleVillage

HEADLINE = ["feel_safe", "trust_police", estimates.TRUST_INDEX]  # the dashboards' cards


def sample_rows(sample: Sample):
    """(village code, design weight adjusted for non-response in the village, answers)."""
    villages = {sv.pk: sv for sv in SampleVillage.objects.filter(sample=sample)}
    answered: dict[int, int] = {}
    rows = list(Response.objects.filter(sample_village__sample=sample)
                .values_list("sample_village_id", "answers").iterator(chunk_size=5000))
    for sv_id, _a in rows:
        answered[sv_id] = answered.get(sv_id, 0) + 1
    for sv_id, answers in rows:
        sv = villages[sv_id]
        yield sv.village_code, sv.households / (sv.village_prob * answered[sv_id]), answers


def estimates_store(sample: Sample) -> list[estimates.Cell]:
    """Compute every indicator of the sample's version for the country, the provinces and the
    regencies (a cell under estimates.MIN_N answers without a number), and replace its stored
    estimates."""
    indicators = estimates.indicators_of(sample.version.items.all())
    df = estimates.frame(list(sample_rows(sample)), indicators)
    names = [*indicators, estimates.TRUST_INDEX] if df.height else []
    cells = estimates.estimate(df, names) if df.height else []
    alpha = estimates.reliability(df) if df.height else None
    with transaction.atomic():
        Estimate.objects.filter(sample=sample).delete()
        Estimate.objects.bulk_create([
            Estimate(sample=sample, indicator=c.indicator, level=c.level, code=c.code, n=c.n,
                     value=c.value, se=c.se, low=c.low, high=c.high, df=c.df) for c in cells],
            batch_size=2000)
        sample.method = {**sample.method, "trust_index_alpha": alpha,
                         "estimated_at": timezone.now().isoformat(), "min_n": estimates.MIN_N}
        sample.save(update_fields=["method"])
    return cells


def wave_simulate(*, provinces: list[str] | None, year: int, seed: int, wave: str | None = None,
                  response_rate: float = 0.85, margin: float = 5.0,
                  progress: Callable[[str], None] = lambda s: None) -> Sample:
    """Draw (once), answer from a planted truth (once) and estimate a wave; safe to re-run."""
    version = standard_ensure()
    wave = wave or f"{year}-simulated"
    sample = Sample.objects.filter(version=version, wave=wave).first()
    if sample is None:
        progress("drawing the sample")
        sample = sampling.sample_draw(version=version, wave=wave, year=year, seed=seed, provinces=provinces,
                                      margin=margin)
    if not Response.objects.filter(sample_village__sample=sample).exists():
        progress("answering from the planted truth")
        frame = sampling.frame(provinces)
        pops = dict(Region.objects.filter(level=codes.REGENCY, code__in=list(frame))
                    .values_list("code", "population"))
        village_p, truth = planted.plant(frame, pops, seed)
        drawn: dict[str, list[sampling.Drawn]] = {}
        ids = {}
        for sv in SampleVillage.objects.filter(sample=sample):
            drawn.setdefault(sv.regency_code, []).append(
                sampling.Drawn(sv.village_code, sv.size, sv.households, sv.village_prob, sv.planned))
            ids[sv.village_code] = sv.pk
        batch = [Response(sample_village_id=ids[code], channel=Response.Channel.SIMULATED, consent=True,
                          answers=answers)
                 for code, _w, answers in planted.respondents(drawn, village_p, seed, response_rate)]
        with transaction.atomic():
            Response.objects.bulk_create(batch, batch_size=5000)
            sample.method = {**sample.method, "planted": truth, "simulated": True}
            sample.save(update_fields=["method"])
        progress(f"{len(batch)} answers")
    progress("estimating")
    estimates_store(sample)
    return sample
