"""`polmas retention_anonymise`: remove reporters' contact details from reports closed more
than POLMAS_RETENTION_MONTHS months ago. Safe to re-run and to interrupt; run it daily."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from polmas.reports.personal_data import months_before, retention_anonymise, retention_due

# Beyond this the cutoff falls before year 1 (months_before would fail), and nothing is kept
# that long anyway.
MAX_MONTHS = 1200


class Command(BaseCommand):
    help = ("Anonymise the reporter (name, phone, e-mail) of reports closed or resolved more "
            "than POLMAS_RETENTION_MONTHS months ago; idempotent, audited.")

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None,
                            help="override POLMAS_RETENTION_MONTHS for this run (at least 1)")

    def handle(self, *args, **options):
        months = options["months"] if options["months"] is not None else settings.POLMAS_RETENTION_MONTHS
        if not 1 <= months <= MAX_MONTHS:
            raise CommandError(f"--months: must be from 1 to {MAX_MONTHS} (a century)")
        now = timezone.now()
        due = retention_due(cutoff=months_before(now, months)).count()
        with tqdm(total=due, desc="anonymising", unit=" reports", disable=None) as bar:
            done = retention_anonymise(months=months, now=now, progress=bar.update)
        self.stdout.write(f"{done} reports closed more than {months} months ago anonymised.")
