"""Bulk data out (analytics/bulk.py): 1 million reports as CSV and Parquet, time and memory.

    uv run python bench/bulk_export.py [--rows 1000000] [--db-dir DIR]

A fresh SQLite database (migrate, the regions of Bali) gets `--rows` reports (bulk_create,
5% sealed); then, for each format, a fresh process streams the year's export through the
same generators the view returns (`bulk_rows` into `csv_stream` / `parquet_stream`), counting
the bytes, while a thread samples the process's resident memory (VmRSS) every 0.1 s. Printed:
seconds, rows per second, bytes, and the memory at the start, at each tenth of the rows and at
the peak: flat means constant memory. Keep `--db-dir` to skip the load on a second run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def env_for(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLMAS_") and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="polmas.settings", POLMAS_VAR_DIR=str(var),
               DATABASE_URL=f"sqlite:///{var / 'polmas.sqlite3'}")
    return env


def load(var: Path, rows: int) -> None:
    script = f"""
import random, uuid, time
from django.core.management import call_command
from django.db import transaction
call_command("migrate", verbosity=0)
call_command("load_regions", provinces="51", verbosity=0)
from polmas.regions.models import Region
from polmas.reports.models import Category, Report
villages = list(Region.objects.filter(level=4).values_list("code", flat=True))
cats = list(Category.objects.filter(sensitive=False)) or list(Category.objects.all())
sealed = list(Category.objects.filter(sensitive=True))
rng = random.Random(1)
t0 = time.monotonic()
for start in range(0, {rows}, 20000):
    batch = []
    for i in range(start, min(start + 20000, {rows})):
        s = rng.random() < 0.05 and sealed
        cat = rng.choice(sealed if s else cats)
        batch.append(Report(category=cat, description="x", village_id=rng.choice(villages), channel="web",
                            sensitive=cat.sensitive, tracking_hash=uuid.uuid4().hex))
    with transaction.atomic():
        Report.objects.bulk_create(batch)
print(f"loaded {rows} reports in {{time.monotonic() - t0:.0f}} s")
"""
    subprocess.run([sys.executable, "-m", "polmas.cli", "shell", "-c", script], cwd=ROOT,  # noqa: S603
                   env=env_for(var), check=True)


def worker(fmt: str, rows: int) -> None:
    import django

    django.setup()
    from django.utils import timezone

    from polmas.analytics.bulk import bulk_rows, csv_stream, parquet_stream

    samples: list[tuple[int, float]] = []
    seen = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append((seen[0], rss_mb()))
            time.sleep(0.1)

    def counted():
        for row in bulk_rows(kind="reports", year=timezone.now().year, prefixes=("",)):
            seen[0] += 1
            yield row

    start_rss = rss_mb()
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    size = 0
    for chunk in (csv_stream if fmt == "csv" else parquet_stream)("reports", counted()):
        size += len(chunk)
    seconds = time.perf_counter() - t0
    stop.set()
    thread.join()
    tenths = {}
    for n, mb in samples:
        tenth = min(10, n * 10 // max(1, rows))
        tenths.setdefault(tenth, round(mb, 1))
    print(json.dumps({"format": fmt, "rows": seen[0], "seconds": round(seconds, 1),
                      "rows_per_s": round(seen[0] / seconds), "megabytes": round(size / 1e6, 1),
                      "rss_start_mb": round(start_rss, 1),
                      "rss_peak_mb": round(max(mb for _, mb in samples), 1),
                      "rss_by_tenth_mb": tenths, "loadavg": os.getloadavg()}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db-dir", type=Path)
    parser.add_argument("--worker", choices=["csv", "parquet"])
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.rows)
        return 0
    with tempfile.TemporaryDirectory(prefix="polmas-bulk-") as tmp:
        var = args.db_dir or Path(tmp)
        var.mkdir(parents=True, exist_ok=True)
        if not (var / "polmas.sqlite3").exists():
            load(var, args.rows)
        for fmt in ("csv", "parquet"):
            subprocess.run([sys.executable, __file__, "--worker", fmt, "--rows", str(args.rows)],  # noqa: S603
                           cwd=ROOT, env=env_for(var), check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
