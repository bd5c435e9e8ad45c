import csv
import sys

import pycountry
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from polmas.regions.countries import COUNTRIES, TIMOR_LESTE_MUNICIPALITIES

# Per country: its top subdivisions' ISO 3166-2 codes -> the second segment of our code.
TABLES = {"TL": TIMOR_LESTE_MUNICIPALITIES}


class Command(BaseCommand):
    help = ("Write a country's top-level subdivisions from ISO 3166-2 (the pycountry package) "
            "as a regions CSV for `load_regions --csv`: the country at level 1, its "
            "municipalities at level 2. The deployment adds its administrative posts and "
            "sucos (levels 3 and 4) to the same file.")

    def add_arguments(self, parser):
        parser.add_argument("country", help="ISO 3166-1 alpha-2 code: " + ", ".join(TABLES))
        parser.add_argument("--out", help="The CSV file to write (default: standard output)")

    def handle(self, *args, **options):
        code = options["country"].strip().upper()
        if code not in TABLES:
            raise CommandError(_("country: %(code)s has no region table (known: %(known)s)")
                               % {"code": code[:10], "known": ", ".join(TABLES)})
        country, table = COUNTRIES[code], TABLES[code]
        rows = [(country.prefix, pycountry.countries.get(alpha_2=code).name, 1, "", "", "")]
        for sub in sorted(pycountry.subdivisions.get(country_code=code), key=lambda s: s.code):
            if sub.parent_code:
                continue
            if sub.code not in table:
                raise CommandError(_("%(code)s (%(name)s) is new in ISO 3166-2: give it its number "
                                     "in polmas/regions/countries.py first")
                                   % {"code": sub.code, "name": sub.name})
            rows.append((f"{country.prefix}.{table[sub.code]}", sub.name, 2, country.prefix, "", ""))
        header = ("code", "name", "level", "parent", "latitude", "longitude")
        if options["out"]:
            with open(options["out"], "w", newline="", encoding="utf-8") as out:
                csv.writer(out, lineterminator="\n").writerows([header, *rows])
        else:
            csv.writer(sys.stdout, lineterminator="\n").writerows([header, *rows])
        if options["out"]:
            self.stderr.write(_("%(n)d regions written to %(path)s")
                              % {"n": len(rows), "path": options["out"]})
