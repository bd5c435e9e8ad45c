from django.core.management.base import BaseCommand
from tqdm import tqdm

from polmas.cases.models import Case
from polmas.cases.services import cases_publish


class Command(BaseCommand):
    help = ("Bring every forum's public page (\"you said, we did\") up to date with the cases opened "
            "from residents' reports and meeting issues, as their stages and public summaries stand; "
            "never a sensitive case. Safe to re-run; run once after upgrading.")

    def handle(self, *args, **options):
        total = Case.objects.filter(source__in=[Case.Source.REPORT, Case.Source.MEETING]).count()
        with tqdm(total=total, desc="cases", unit=" cases", disable=None) as bar:
            done = cases_publish(progress=bar.update)
        self.stdout.write(f"{done} case(s) published to the forums' public pages.")
