from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from polmas.regions import loader
from polmas.regions.models import Region

# Known sizes of the official list, for an honest progress bar before the data is read.
EXPECTED_TOTAL = 38 + 514 + 7285 + 83762


class Command(BaseCommand):
    help = "Load every province, regency, district and village of Indonesia (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--provinces",
            help="Comma-separated two-digit province codes to load (default: all), e.g. 51,34",
        )

    def handle(self, *args, **options):
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
