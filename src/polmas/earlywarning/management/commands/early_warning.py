import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polmas.earlywarning.groups import GROUPS, latest_complete_week, week_label, week_parse
from polmas.earlywarning.run import WeekRefused, early_warning_run
from polmas.earlywarning.text import alarm_sentence


class Command(BaseCommand):
    help = ("Run the early warning for a week (the latest complete one by default): recount, detect, "
            "store new alarms. Safe to run again: nothing is duplicated.")

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week YYYY-Www (default: the latest complete week)")
        parser.add_argument("--group", action="append", dest="groups",
                            help=f"a category group ({', '.join(GROUPS)}); may repeat; default all")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        today = timezone.now().date()
        if options["week"] is None:
            week = latest_complete_week(today)
        else:
            week = week_parse(options["week"])
            if week is None:
                raise CommandError(f"--week: {options['week']!r} is not an ISO week like 2026-W48")
        groups = tuple(options["groups"] or GROUPS)
        unknown = [g for g in groups if g not in GROUPS]
        if unknown:
            raise CommandError(f"--group: unknown group {', '.join(unknown)}; known: {', '.join(GROUPS)}")
        try:
            alarms = early_warning_run(week=week, today=today, groups=groups)
        except WeekRefused as refused:
            raise CommandError(f"--week: {refused}") from None
        rows = [{"region_code": a.region_id, "category_group": a.group, "observed": a.observed,
                 "expected": a.expected, "detector": a.detector, "weeks": a.weeks, "villages": a.villages,
                 "status": a.status, "sentence": alarm_sentence(a)} for a in alarms]
        if options["json"]:
            out = {"week": week_label(week), "alarms": rows}
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{week_label(week)}: {len(rows)} alarm(s)")
        for row in rows:
            self.stdout.write(f"  {row['region_code']:<14} {row['category_group']:<10} {row['sentence']}")
