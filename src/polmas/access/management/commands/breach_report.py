"""`polmas breach_report --since ... --until ...`: who read or exported what in a window."""

import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polmas.access.breach import breach_entries, breach_summary, entry_row
from polmas.regions import codes


def _moment(name: str, raw: str | None) -> dt.datetime | None:
    if raw is None:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--{name}: {raw!r} is not a time like 2026-12-01T00:00") from None
    # Without a zone the time is read in the server's (Asia/Jakarta, TIME_ZONE).
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Command(BaseCommand):
    help = ("List who read or exported personal data between --since and --until (from the "
            "audit log): the actors, what they accessed, the data subjects affected.")

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="start, ISO time (2026-12-01T00:00)")
        parser.add_argument("--until", help="end, ISO time (default: now)")
        parser.add_argument("--region", default="", help="only records in this region (51, 51.08, ...)")
        parser.add_argument("--format", choices=["csv", "json"], default="csv",
                            help="csv: one line per access; json: actors, subjects and accesses")
        parser.add_argument("--all", action="store_true", help="writes too, not only reads and exports")

    def handle(self, *args, **options):
        since = _moment("since", options["since"])
        until = _moment("until", options["until"]) or timezone.now()
        assert since is not None
        if until <= since:
            raise CommandError("--until: must lie after --since")
        region = options["region"].strip()
        if region and not codes.is_valid(region):
            raise CommandError(f"--region: {region!r} is not a region code like 51 or 51.08")
        entries = breach_entries(since=since, until=until, region=region,
                                 include_writes=options["all"])
        if options["format"] == "json":
            summary = breach_summary(entries)
            document = {"since": since.isoformat(), "until": until.isoformat(), "region": region,
                        **summary}
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        fields = ["at", "actor", "actor_id", "action", "object_type", "object_id", "region_code", "reason"]
        writer = csv.DictWriter(self.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for entry in entries.iterator(chunk_size=2000):
            writer.writerow(entry_row(entry))
