import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from polmas.reports.routing import route_pending, unrouted


class Command(BaseCommand):
    help = ("Route the reports waiting for it (inboxes, coverage gap, received event, audit "
            "entry, rollups). The task queue does this within seconds; run it from cron as a "
            "safety net, or where no worker runs. Safe to re-run.")

    def handle(self, *args, **options):
        started = time.monotonic()
        waiting, _oldest = unrouted()
        with tqdm(total=waiting, desc="routing", unit=" reports", disable=None) as bar:
            routed = route_pending(progress=bar.update)
            bar.total = max(bar.n, waiting)
            bar.refresh()
        self.stdout.write(f"{routed} reports routed in {time.monotonic() - started:.1f} s.")
