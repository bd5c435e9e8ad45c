"""`polmas import_officers FILE.csv`: register officers and their village postings in bulk."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from polmas.policing.importer import (
    MAX_BYTES,
    OPTIONAL,
    REQUIRED,
    BadFile,
    ImportRefused,
    Summary,
    check_rows,
    read_csv,
    write_rows,
)

HELP = f"""Import officers, and their postings as Bhabinkamtibmas, from a UTF-8 CSV file with a
header row (a BOM and CRLF line endings are accepted; at most {MAX_BYTES // 2**20} MB).

Required columns: {", ".join(REQUIRED)}. Optional: {", ".join(OPTIONAL)}.
  nrp        8 digits
  rank       code or label, any case (bripka, Bripka, AKP, Kombes Pol)
  unit       the unit's region code (51.08.09 = Polsek Tejakula) or "mabes"
  unit_kind  polda/polres/polsek; needed only when the code's level does not say it
  function   bhabinkamtibmas (default), supervisor, ppa, other
  active     1/0/true/false (default 1)
  phone      Indonesian mobile number: 08... or +628..., 9 to 15 digits
  villages   village codes separated by ";" to post the officer to (needs start)
  start      YYYY-MM-DD, the first day of those postings

Every row is checked before anything is written. Bad rows are reported as
"line N, column C: reason" (the header is line 1), all of them, and then nothing is imported
(exit status 1). If every row is good, all rows are written in one transaction, audited as the
system.

Re-running a file is safe: a row whose NRP already exists with the same data (and, if it lists
villages, the same current postings from the same start) is skipped and counted as unchanged.
An existing NRP with different data is reported as a bad row: this command never changes or
removes existing officers or postings."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        # Keep the line breaks of the column list above.
        return super().create_parser(prog_name, subcommand, formatter_class=RawDescriptionHelpFormatter,
                                     **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--check", action="store_true",
                            help="check every row and report, but write nothing")

    def handle(self, *args: object, file: Path, check: bool, **options: object) -> None:
        try:
            rows = read_csv(file)
            with tqdm(total=len(rows), desc=_("checking"), unit=" rows", disable=None) as bar:
                planned = check_rows(rows, progress=bar.update)
            if check:
                self.stdout.write(_("%(count)d rows checked: all good; nothing was written (--check).")
                                  % {"count": len(planned)})
                return
            with tqdm(total=len(planned), desc=_("importing"), unit=" rows", disable=None) as bar:
                summary = write_rows(planned, progress=bar.update)
        except BadFile as exc:
            raise CommandError(str(exc)) from None
        except ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(ngettext(
                "%(count)d problem found; nothing was imported.",
                "%(count)d problems found; nothing was imported.",
                len(exc.problems),
            ) % {"count": len(exc.problems)}) from None
        self.stdout.write(self.style.SUCCESS(self._summary(summary)))

    @staticmethod
    def _summary(summary: Summary) -> str:
        return _(
            "Imported %(officers)d officers and %(postings)d village postings; "
            "%(unchanged)d rows were already imported and left unchanged."
        ) % {"officers": summary.officers, "postings": summary.postings,
             "unchanged": summary.unchanged}
