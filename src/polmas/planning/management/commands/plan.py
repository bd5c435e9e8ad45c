"""`polmas plan --region CODE --k K --d KM [--add-officers N] --json`: run the planner."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from polmas.planning import planner, services


class Command(BaseCommand):
    help = "Propose officer postings for a region (replication planner); writes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--region", required=True, help="province, regency or district code")
        parser.add_argument("--k", type=int, required=True, help="villages per officer, at most")
        parser.add_argument("--d", type=float, required=True,
                            help="km: an officer's villages lie within this of each other")
        parser.add_argument("--add-officers", type=int, default=0)
        parser.add_argument("--move-penalty", type=float, default=1.0)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        try:
            region = services.check_region(opts["region"])
            k, d, penalty, n = services.check_parameters(
                k=opts["k"], d_km=opts["d"], move_penalty=opts["move_penalty"],
                add_officers=opts["add_officers"])
        except ValidationError as exc:
            reasons = (f"{f}: {' '.join(m)}" for f, m in exc.message_dict.items())
            raise CommandError("; ".join(reasons)) from None
        result = planner.plan(region, k=k, d_km=d, move_penalty=penalty, add_officers=n)
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json()))
            return
        self.stdout.write(
            f"{region or 'ID'} k={k} d={d} km: coverage {result.coverage_before:.3f} -> "
            f"{result.coverage_after:.3f} (greedy {result.greedy_coverage:.3f}), "
            f"gap_max {result.gap_max:.4%}, {result.moved} officers moved, "
            f"{len(result.districts)} Polsek problems in {result.seconds:.1f} s")
