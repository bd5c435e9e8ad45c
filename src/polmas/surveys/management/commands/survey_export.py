from django.core.management.base import BaseCommand, CommandError

from polmas.surveys.instruments import latest_version, standard_ensure
from polmas.surveys.xlsform import export_workbook, instrument_of, pyxform_check


class Command(BaseCommand):
    help = "Write a survey's latest version as an XLSForm workbook (checked with pyxform)."

    def add_arguments(self, parser):
        parser.add_argument("survey", help="the survey's short name, e.g. standard")
        parser.add_argument("--xlsform", required=True, help="the .xlsx file to write")
        parser.add_argument("--form-version", type=int, help="a version number (default: the latest)")

    def handle(self, *args, **options):
        if options["survey"] == "standard":
            standard_ensure()
        version = latest_version(options["survey"])
        if options["form_version"]:
            version = version and version.survey.versions.filter(number=options["form_version"]).first()
        if version is None:
            raise CommandError(f"survey: no survey or version {options['survey']!r}")
        data = export_workbook(instrument_of(version))
        pyxform_check(data)
        with open(options["xlsform"], "wb") as f:
            f.write(data)
        self.stdout.write(f"{version}: {version.items.count()} items -> {options['xlsform']}")
