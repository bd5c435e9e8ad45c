from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from polmas.surveys.instruments import instrument_import
from polmas.surveys.xlsform import XLSFormError, parse_workbook


class Command(BaseCommand):
    help = "Read an XLSForm workbook as a new version of a survey; nothing is stored on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", help="an .xlsx XLSForm")
        parser.add_argument("--name", required=True, help="the survey's name (its short name is derived)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"file: {path} does not exist")
        slug = slugify(options["name"])[:60]
        if not slug:
            raise CommandError("--name: needs letters or digits")
        try:
            inst = parse_workbook(path.read_bytes())
        except XLSFormError as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from None
        version = instrument_import(slug=slug, name=options["name"], inst=inst)
        self.stdout.write(f"{version}: {len(inst.items)} items imported")
