import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from polmas.simulation.accounts import PASSWORD
from polmas.simulation.management.commands.simulate import add_common_arguments, check_year
from polmas.simulation.run import print_accounts, simulation_run


class Command(BaseCommand):
    help = ("Set up everything (database, regions, units, demo data, accounts) and serve the "
            "app on http://127.0.0.1:8000. Safe to run again.")

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--no-serve", action="store_true", help="do everything but serve")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        check_year(options["year"])
        _, accounts = simulation_run(scale=options["scale"], year=options["year"],
                                     seed=options["seed"], out=self.stdout)
        print_accounts(self.stdout, accounts, PASSWORD)
        if options["no_serve"]:
            return
        self.stdout.write(f"\nServing on http://{options['addrport']}/ (Ctrl+C stops), with a "
                          "task worker beside it (routing reports, messages, rollups)")
        # Reports are routed by the task queue (ADR 11): without a worker none would reach
        # an inbox. The worker runs as a process of its own, as in production.
        worker = subprocess.Popen([sys.executable, "-m", "polmas.cli", "db_worker"])  # noqa: S603
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
