import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError

from polmas.surveys.instruments import latest_version, standard_ensure
from polmas.surveys.models import Sample
from polmas.surveys.sampling import sample_draw


class Command(BaseCommand):
    help = ("Draw the two-stage sample of a real wave (villages PPS within each regency, then "
            "households), sized for a margin at regency level; seeded and reproducible.")

    def add_arguments(self, parser):
        parser.add_argument("survey", help="the survey's short name, e.g. standard")
        parser.add_argument("--wave", required=True)
        parser.add_argument("--provinces", default="", help="comma-separated province codes (default: all)")
        parser.add_argument("--year", type=int, default=dt.date.today().year)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--margin", type=float, default=5.0, help="points at 95%% (default 5)")
        parser.add_argument("--deff", type=float, default=1.5, help="design effect (default 1.5)")
        parser.add_argument("--response-rate", type=float, default=0.85)

    def handle(self, *args, **o):
        provinces = [p.strip() for p in o["provinces"].split(",") if p.strip()]
        if any(not re.fullmatch(r"\d{2}", p) for p in provinces):
            raise CommandError("--provinces: two-digit province codes, comma-separated")
        if not (0.5 <= o["margin"] <= 25 and 1 <= o["deff"] <= 10 and 0.05 <= o["response_rate"] <= 1):
            raise CommandError("--margin 0.5-25, --deff 1-10, --response-rate 0.05-1")
        if o["survey"] == "standard":
            standard_ensure()
        version = latest_version(o["survey"])
        if version is None:
            raise CommandError(f"survey: no survey {o['survey']!r}")
        if Sample.objects.filter(version=version, wave=o["wave"]).exists():
            raise CommandError(f"--wave: {o['wave']!r} already has a sample for {version}")
        sample = sample_draw(version=version, wave=o["wave"], year=o["year"], seed=o["seed"],
                             provinces=provinces or None, margin=o["margin"], deff=o["deff"],
                             response_rate=o["response_rate"])
        self.stdout.write(f"sample {sample.pk} ({sample.wave}): {sample.villages.count()} villages, "
                          f"{sample.method['households_per_regency']} households a regency")
