import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from polmas.analytics.stats import FIELDS, national_stats


class Command(BaseCommand):
    help = "National figures: regions, officers, coverage, forums, reports, problems resolved."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--year", help="count as of the end of this year (YYYY)")
        parser.add_argument("--by", choices=["province", "regency"], help="add a row per region")

    def handle(self, *args, **options):
        year = None
        if options["year"] is not None:
            raw = options["year"]
            if not (raw.isdigit() and len(raw) == 4 and 1945 <= int(raw) <= dt.date.today().year):
                raise CommandError(f"--year: {raw!r} is not a year between 1945 and this year")
            year = int(raw)
        result = national_stats(year=year, by=options["by"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for f in FIELDS:
            self.stdout.write(f"{f:<24} {result['totals'][f]:>10,}")
        for row in result["rows"]:
            self.stdout.write(f"{row['code']:<6} {row['name'][:30]:<30} officers {row['officers']:>6,}"
                              f"  villages {row['villages']:>6,}  covered {row['villages_with_officer']:>6,}"
                              f"  forums {row['forums']:>6,}")
