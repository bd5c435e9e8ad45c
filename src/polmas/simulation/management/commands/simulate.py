import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from polmas.simulation.accounts import PASSWORD
from polmas.simulation.outbreak import OutbreakRefused
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


def outbreak_option(text: str | None, district: str | None):
    """The checked --plant-outbreak (and --outbreak-district), None when not asked for;
    CommandError naming the option and the reason, before anything is written."""
    from polmas.regions.models import Region
    from polmas.simulation.outbreak import DISTRICT, outbreak_spec_parse

    if text is None:
        if district is not None:
            raise CommandError("--outbreak-district: only with --plant-outbreak")
        return None
    try:
        spec = outbreak_spec_parse(text, district=district or DISTRICT)
    except ValueError as exc:
        option = "--outbreak-district" if str(exc).startswith("district") else "--plant-outbreak"
        raise CommandError(f"{option}: {exc}") from None
    try:
        loaded = Region.objects.exists()
    except DatabaseError:  # a database not migrated yet: the run loads the regions first
        loaded = False
    if loaded:
        # the regions are loaded: the district can be checked before anything is written
        have = Region.objects.under(spec.district).filter(level=4, latitude__isnull=False).count()
        if not Region.objects.filter(code=spec.district, level=3).exists():
            raise CommandError(f"--outbreak-district: no district {spec.district}")
        if have < spec.villages:
            raise CommandError(f"--plant-outbreak: district {spec.district} has {have} villages with "
                               f"coordinates, fewer than the {spec.villages} asked for")
    return spec


class Command(BaseCommand):
    help = "Generate a seeded, repeatable dataset on the real villages (idempotent)."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--plant-effect", type=float, default=None, metavar="PCT",
                            help="the effect (percent, e.g. -30) planted in the history of the "
                                 "malioboro-uji district from its start; placebo-uji gets none "
                                 "(demo scale; a history already written is kept)")
        parser.add_argument("--plant-outbreak", default=None, metavar="VILLAGES:FACTOR:WEEKS",
                            help="plant an outbreak for the early warning instead of the demo's "
                                 "(2:4:3): thefts in VILLAGES neighbouring villages (1-10) of "
                                 "--outbreak-district at FACTOR x their baseline (1.5-10) in each "
                                 "of the last WEEKS complete weeks (1-12); safe to rerun")
        parser.add_argument("--outbreak-district", default=None, metavar="CODE",
                            help="the district of --plant-outbreak (default 51.08.09, Tejakula)")

    def handle(self, *args, **options):
        check_year(options["year"])
        effect = options["plant_effect"]
        if effect is not None and not -90 <= effect <= 200:
            raise CommandError(f"--plant-effect: {effect} must lie between -90 and 200 (percent)")
        outbreak = outbreak_option(options["plant_outbreak"], options["outbreak_district"])
        try:
            totals, accounts = simulation_run(scale=options["scale"], year=options["year"],
                                              seed=options["seed"], out=self.stdout,
                                              plant_effect=effect, outbreak=outbreak)
        except OutbreakRefused as exc:  # a district checked only once the regions were loaded
            raise CommandError(f"--plant-outbreak: {exc}") from None
        if outbreak is not None:
            self.stdout.write(f"Outbreak planted: {outbreak.villages} villages of {outbreak.district} at "
                              f"{outbreak.factor:g}x for the last {outbreak.weeks} complete weeks "
                              f"(polmas early_warning finds it).")
        self.stdout.write(f"Planned in this run's provinces: {totals.officers} Bhabinkamtibmas, "
                          f"{totals.forums} FKPM forums.")
        if options["scale"] == "national":
            from polmas.analytics.stats import national_stats

            t = national_stats(year=options["year"])["totals"]
            self.stdout.write(f"{options['year']}: {t['officers']:,} Bhabinkamtibmas, {t['forums']:,} FKPM "
                              f"forums, {t['problems_resolved']:,} problems resolved "
                              f"(polmas stats --json --year {options['year']}).")
        print_accounts(self.stdout, accounts, PASSWORD)
