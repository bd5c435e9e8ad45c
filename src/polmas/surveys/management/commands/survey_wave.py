import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError

from polmas.surveys.waves import wave_simulate


class Command(BaseCommand):
    help = ("Run a simulated survey wave: draw the two-stage sample, answer it from a planted true "
            "share per regency, and store the estimates. Safe to run again (nothing is duplicated).")

    def add_arguments(self, parser):
        parser.add_argument("--provinces", default="", help="comma-separated province codes (default: all)")
        parser.add_argument("--year", type=int, default=dt.date.today().year)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--wave", default="", help="the wave's name (default: YEAR-simulated)")

    def handle(self, *args, **options):
        provinces = [p.strip() for p in options["provinces"].split(",") if p.strip()]
        bad = [p for p in provinces if not re.fullmatch(r"\d{2}", p)]
        if bad:
            raise CommandError(f"--provinces: {', '.join(bad)} is not a two-digit province code")
        if not 2005 <= options["year"] <= dt.date.today().year:
            raise CommandError(f"--year: {options['year']} must lie between 2005 and this year")
        sample = wave_simulate(provinces=provinces or None, year=options["year"], seed=options["seed"],
                               wave=options["wave"] or None,
                               progress=lambda s: self.stdout.write(f"survey wave: {s}"))
        alpha = (sample.method.get("trust_index_alpha") or {}).get("alpha")
        self.stdout.write(f"survey wave {sample.wave}: {sample.villages.count()} villages, "
                          f"trust index alpha {alpha}")
