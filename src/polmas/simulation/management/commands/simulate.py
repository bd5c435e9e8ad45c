import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from polmas.simulation.accounts import PASSWORD
from polmas.simulation.run import print_accounts, simulation_run


def add_common_arguments(parser) -> None:
    parser.add_argument("--scale", choices=["demo", "national"], default="demo",
                        help="demo: Bali (51) and D.I. Yogyakarta (34); national: all Indonesia")
    parser.add_argument("--year", type=int, default=dt.date.today().year,
                        help="the year the simulated data describes")
    parser.add_argument("--seed", type=int, default=2017,
                        help="random seed: the same seed gives the same data")


def check_year(year: int) -> None:
    if not 2005 <= year <= dt.date.today().year:
        raise CommandError(f"--year: {year} must lie between 2005 and this year")


class Command(BaseCommand):
    help = "Generate a seeded, repeatable dataset on the real villages (idempotent)."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--plant-effect", type=float, default=None, metavar="PCT",
                            help="the effect (percent, e.g. -30) planted in the history of the "
                                 "malioboro-uji district from its start; placebo-uji gets none "
                                 "(demo scale; a history already written is kept)")

    def handle(self, *args, **options):
        check_year(options["year"])
        effect = options["plant_effect"]
        if effect is not None and not -90 <= effect <= 200:
            raise CommandError(f"--plant-effect: {effect} must lie between -90 and 200 (percent)")
        totals, accounts = simulation_run(scale=options["scale"], year=options["year"],
                                          seed=options["seed"], out=self.stdout,
                                          plant_effect=effect)
        self.stdout.write(f"Planned in this run's provinces: {totals.officers} Bhabinkamtibmas, "
                          f"{totals.forums} FKPM forums.")
        if options["scale"] == "national":
            from polmas.analytics.stats import national_stats

            t = national_stats(year=options["year"])["totals"]
            self.stdout.write(f"{options['year']}: {t['officers']:,} Bhabinkamtibmas, {t['forums']:,} FKPM "
                              f"forums, {t['problems_resolved']:,} problems resolved "
                              f"(polmas stats --json --year {options['year']}).")
        print_accounts(self.stdout, accounts, PASSWORD)
