from django.core.management.base import BaseCommand

from polmas.cases.services import cases_escalate


class Command(BaseCommand):
    help = ("Move open cases without activity for 7 days up to their Polsek supervisor. Safe to run "
            "as often as you like (e.g. hourly from cron): a case moves once per quiet spell.")

    def handle(self, *args, **options):
        moved = cases_escalate()
        self.stdout.write(f"{moved} case(s) escalated.")
