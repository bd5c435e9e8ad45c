"""`polmas personal_data export|erase --phone ... --by ADMIN`: a data subject's request."""

import json

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from polmas.core.persons import Person
from polmas.privacy import services


class Command(BaseCommand):
    help = ("Export (JSON on stdout) or erase a person's data: their reports and forum "
            "memberships, found by phone, e-mail or (alone) name. Audited under --by.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase", "find"])
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="used alone only: names repeat")
        parser.add_argument("--by", required=True, help="username of the administrator handling "
                            "the request (recorded in the audit log)")
        parser.add_argument("--reason", default="",
                            help="why (required for erase), e.g. the request's number")

    def handle(self, *args, **options):
        try:
            person = Person.parse(phone=options["phone"], email=options["email"], name=options["name"])
        except ValidationError as exc:
            errors = exc.message_dict
            raise CommandError("; ".join(f"--{f}: {' '.join(m)}" for f, m in errors.items())) from None
        actor = User.objects.filter(username=options["by"]).first()
        if actor is None or not services.may_handle(actor):
            raise CommandError(f"--by: {options['by']!r} is not an administrator")
        if options["action"] == "erase" and not options["reason"].strip():
            raise CommandError("--reason: give a reason for the erasure")
        with tqdm(total=services.records_to_search(person), desc="searching", unit=" records",
                  disable=None) as bar:
            found = services.person_find(actor=actor, person=person, progress=bar.update)
        try:
            if options["action"] == "export":
                document = services.person_export(actor=actor, person=person, found=found)
                self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
                return
            if options["action"] == "find":
                self.stdout.write(f"{len(found.report_ids)} reports, {len(found.member_ids)} "
                                  "forum memberships.")
                return
            done = services.person_erase(actor=actor, person=person, reason=options["reason"],
                                         found=found)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Erased from {len(done.report_ids)} reports and "
                          f"{len(done.member_ids)} forum memberships.")
