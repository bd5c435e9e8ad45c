import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from polmas.analytics.rollup import rollup_years
from polmas.analytics.services import REBUILD_STEPS, rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild every rollup (monthly figures, coverage) from the raw tables; safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--year", action="append", default=[],
                            help="also build the coverage of this year (YYYY); repeatable")

    def handle(self, *args, **options):
        years = []
        for raw in options["year"]:
            if not (raw.isdigit() and len(raw) == 4 and 1945 <= int(raw) <= 2100):
                raise CommandError(f"--year: {raw!r} is not a year (YYYY)")
            years.append(int(raw))
        started = time.monotonic()
        total = REBUILD_STEPS + len(set(years) | set(rollup_years())) + 1
        with tqdm(total=total, desc="rollups", unit=" steps", disable=None) as bar:
            def step(name: str) -> None:
                bar.set_postfix_str(name)
                bar.update(1)

            built = rollups_rebuild(progress=step, years=years)
            bar.total = bar.n
            bar.refresh()
        self.stdout.write(f"Rollups rebuilt in {time.monotonic() - started:.1f} s "
                          f"(coverage years: {', '.join(map(str, built))}).")
