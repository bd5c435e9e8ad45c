"""Benchmark and proof for the surveys room.

    uv run python bench/surveys.py [--waves 100] [--skip-national]

1. XLSForm: a 5,000-question workbook (select_one, integer and text, with skip logic), read
   by our checks and converted by pyxform. Target < 10 s.
2. Coverage: `--waves` simulated waves on a synthetic frame of 20 regencies (40-250 villages
   each), ±5-point design (680 households approached a regency, 85% answering); the share of
   the regencies' 95% intervals (feel_safe and trust_police) that contain the planted truth.
   Target 93-97%. And the standard errors from svy against the closed-form linearisation
   (estimates.closed_form_se): the largest relative difference. Target < 2%.
3. National estimates (unless --skip-national): a fresh SQLite database under a temporary
   POLMAS_VAR_DIR, all regions loaded, a national wave of about 200,000 answers simulated
   (±6 points a regency), then the estimates timed in parts (wall and CPU): reading the
   answers, the frame, every indicator (7 shares and the trust index) for the country, 38
   provinces and 514 regencies; then alpha, and the whole `estimates_store` (which stores
   them). `--headline-regencies` estimates only feel_safe, trust_police and the trust index
   for the regencies (the work measured before every indicator went down to regencies).
   Target < 10 s for the estimates. `--reuse DIR` reuses a database a previous run left in
   DIR (printed as var_dir); `--national-only` skips steps 1-2.
Results print as JSON.
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def xlsform_bench(rows: int = 5000) -> dict:
    from openpyxl import Workbook
    from pyxform.xls2xform import convert

    from polmas.surveys.xlsform import CHOICE_COLUMNS, SETTINGS_COLUMNS, SURVEY_COLUMNS, parse_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(SURVEY_COLUMNS)
    for i in range(rows):
        kind = ["select_one yn", "integer", "text"][i % 3]
        relevant = f"${{q{i - 1}}} = 'yes'" if i % 3 == 1 and i > 0 and (i - 1) % 3 == 0 else ""
        ws.append([kind, f"q{i}", f"Pertanyaan {i}", f"Question {i}", "yes", relevant, "", "bench", "", ""])
    ch = wb.create_sheet("choices")
    ch.append(CHOICE_COLUMNS)
    ch.append(["yn", "yes", "Ya", "Yes"])
    ch.append(["yn", "no", "Tidak", "No"])
    st = wb.create_sheet("settings")
    st.append(SETTINGS_COLUMNS)
    st.append(["Bench", "bench", "1", "Indonesian (id)", "Bench"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    t = time.perf_counter()
    inst = parse_workbook(data)  # our checks, then pyxform's conversion
    both = time.perf_counter() - t
    t = time.perf_counter()
    convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=[])
    alone = time.perf_counter() - t
    return {"rows": rows, "items": len(inst.items), "import_and_convert_s": round(both, 2),
            "pyxform_convert_s": round(alone, 2), "target_s": 10, "ok": both < 10}


def coverage_bench(waves: int) -> dict:
    import numpy as np

    from polmas.surveys import estimates, planted, sampling
    from polmas.surveys.standard import ITEMS

    class _Item:
        def __init__(self, d):
            self.__dict__.update({"indicator": "", "positive": ""} | d)

    indicators = estimates.indicators_of([_Item(d) for d in ITEMS])
    rng = np.random.default_rng(2026)
    frame = {f"{11 + i // 9:02d}.{i % 9 + 1:02d}": [
        (f"{11 + i // 9:02d}.{i % 9 + 1:02d}.01.{j:04d}", float(rng.uniform(500, 5000)))
        for j in range(int(rng.integers(40, 250)))] for i in range(20)}
    pops = {r: sum(s for _, s in v) for r, v in frame.items()}
    n_target = sampling.regency_size(margin=5, deff=1.5, response_rate=0.85)
    hits = total = 0
    worst = 0.0
    t = time.perf_counter()
    for rep in range(waves):
        village_p, truth = planted.plant(frame, pops, seed=10_000 + rep)
        drawn = {r: sampling.draw_regency(v, n_target=n_target, per_village=10,
                                          rng=np.random.default_rng([10_000 + rep, k]))
                 for k, (r, v) in enumerate(sorted(frame.items()))}
        df = estimates.frame(list(planted.respondents(drawn, village_p, 10_000 + rep, 0.85)), indicators)
        for c in estimates.estimate(df, ["feel_safe", "trust_police"]):
            if c.level != 2:
                continue
            hits += planted.covered(truth[c.code][c.indicator], c.low, c.high)
            total += 1
            if rep < 10:
                worst = max(worst, abs(c.se / (100 * estimates.closed_form_se(df, c.indicator, c.code)) - 1))
    return {"waves": waves, "intervals": total, "coverage_pct": round(100 * hits / total, 2),
            "target_pct": [93, 97], "se_max_rel_diff_pct": round(100 * worst, 4),
            "se_compared_waves": min(10, waves), "seconds": round(time.perf_counter() - t, 1)}


def national_bench(reused: bool, headline: bool = False) -> dict:
    from django.core.management import call_command

    from polmas.surveys import estimates
    from polmas.surveys.models import Response
    from polmas.surveys.waves import HEADLINE, estimates_store, sample_rows, wave_simulate

    out: dict = {}
    if not reused:
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        call_command("load_regions", verbosity=0)
        out["load_regions_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    sample = wave_simulate(provinces=None, year=2026, seed=2017, margin=6.0)
    out["wave_simulate_s"] = round(time.perf_counter() - t, 1)
    out["answers"] = Response.objects.filter(sample_village__sample=sample).count()
    # The parts, wall and CPU (process_time: all threads), then the whole store.
    parts: dict[str, list[float]] = {}

    def timed(name, fn):
        w, c = time.perf_counter(), time.process_time()
        value = fn()
        parts[name] = [round(time.perf_counter() - w, 2), round(time.process_time() - c, 2)]
        return value

    indicators = estimates.indicators_of(sample.version.items.all())
    rows = timed("read_answers", lambda: list(sample_rows(sample)))
    df = timed("frame", lambda: estimates.frame(rows, indicators))
    regency = HEADLINE if headline else None
    cells = timed("estimate_all_levels", lambda: estimates.estimate(
        df, [*indicators, estimates.TRUST_INDEX], regency=regency))
    timed("reliability_alpha", lambda: estimates.reliability(df))
    timed("estimates_store_whole", lambda: estimates_store(sample))
    regencies = {c.code for c in cells if c.level == 2 and c.indicator == "feel_safe" and c.published}
    estimate_s = sum(parts[k][0] for k in ("read_answers", "frame", "estimate_all_levels"))
    estimate_cpu = sum(parts[k][1] for k in ("read_answers", "frame", "estimate_all_levels"))
    return out | {"regency_indicators": HEADLINE if headline else "all", "cells": len(cells),
                  "estimates_cpu_s": round(estimate_cpu, 2), "regencies_published": len(regencies),
                  "parts_wall_cpu_s": parts,
                  "estimates_wall_s": round(estimate_s, 2), "target_s": 10, "ok": estimate_s < 10,
                  "load": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waves", type=int, default=100)
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--reuse", help="a POLMAS_VAR_DIR a previous run left (skips the build)")
    parser.add_argument("--national-only", action="store_true")
    parser.add_argument("--headline-regencies", action="store_true")
    args = parser.parse_args()
    var = args.reuse or tempfile.mkdtemp(prefix="polmas-bench-surveys-")
    os.environ["POLMAS_VAR_DIR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    sys.path.insert(0, os.path.join(ROOT, "src"))
    import django

    django.setup()
    if not args.national_only:
        out = {"xlsform": xlsform_bench(), "coverage": coverage_bench(args.waves)}
        print(json.dumps(out, indent=2), flush=True)
    if not args.skip_national:
        national = national_bench(reused=bool(args.reuse), headline=args.headline_regencies)
        print(json.dumps({"national": national, "var_dir": var}, indent=2))


if __name__ == "__main__":
    main()
