from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from polmas.regions import csvload, loader
from polmas.regions.countries import COUNTRIES
from polmas.regions.models import Region

# Known sizes of the official list, for an honest progress bar before the data is read.
EXPECTED_TOTAL = 38 + 514 + 7285 + 83762


class Command(BaseCommand):
    help = ("Load every province, regency, district and village of Indonesia, or another "
            "country's regions from a CSV file (--csv; columns in polmas/regions/csvload.py). "
            "Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--provinces",
            help="Comma-separated two-digit province codes to load (default: all), e.g. 51,34",
        )
        parser.add_argument(
            "--csv", metavar="PATH",
            help="Load the regions in this CSV file (code,name,level,parent,latitude,longitude) "
                 "instead of Indonesia's official list; the codes must lie under the prefix of "
                 "the deployment's country (POLMAS_COUNTRY)",
        )

    def handle(self, *args, **options):
        country = COUNTRIES[settings.POLMAS_COUNTRY]
        if options["csv"]:
            if options["provinces"]:
                raise CommandError(_("--provinces: only for Indonesia's official list, not with --csv"))
            return self._csv(options["csv"], country)
        if country.prefix:
            raise CommandError(
                _("--csv: this deployment's country (%(country)s) loads its regions from a CSV file")
                % {"country": country.name})
        provinces = None
        if options["provinces"]:
            provinces = [p.strip() for p in options["provinces"].split(",") if p.strip()]
            bad = [p for p in provinces if not (len(p) == 2 and p.isdigit())]
            if bad:
                raise CommandError(
                    _("--provinces: %(codes)s is not a two-digit province code")
                    % {"codes": ", ".join(bad)}
                )
        total = EXPECTED_TOTAL if provinces is None else None
        with tqdm(total=total, unit=" regions", desc="load_regions", disable=None) as bar:
            try:
                result = loader.load(provinces, progress=lambda level, n: bar.update(n))
            except loader.UnknownProvince as exc:
                raise CommandError(
                    _("--provinces: %(codes)s is not in the official list of provinces")
                    % {"codes": ", ".join(exc.args[0])}
                ) from None
        self.stdout.write(
            _("Regions loaded: %(p)d provinces, %(r)d regencies/cities, %(d)d districts, "
              "%(v)d villages (%(all)d in the database).")
            % {"p": result.provinces, "r": result.regencies, "d": result.districts,
               "v": result.villages, "all": Region.objects.count()}
        )

    def _csv(self, path: str, country) -> None:
        try:
            rows = csvload.read_path(path, prefix=country.prefix, utc_offset=country.utc_offset,
                                     known=csvload.known_in_database)
        except OSError as exc:
            raise CommandError(_("--csv: %(path)s cannot be read (%(reason)s)")
                               % {"path": path, "reason": exc.strerror}) from None
        except csvload.BadRegionsFile as exc:
            raise CommandError(_("--csv: %(path)s is refused, nothing was loaded:\n%(faults)s")
                               % {"path": path, "faults": exc}) from None
        with tqdm(total=len(rows), unit=" regions", desc="load_regions", disable=None) as bar:
            result = csvload.load(rows, progress=bar.update)
        self.stdout.write(
            _("Regions loaded from %(path)s: %(p)d at level 1, %(r)d at level 2, %(d)d at level 3, "
              "%(v)d at level 4 (%(all)d in the database).")
            % {"path": path, "p": result.provinces, "r": result.regencies, "d": result.districts,
               "v": result.villages, "all": Region.objects.count()}
        )
