from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from polmas.surveys.collection import villages_assign
from polmas.surveys.models import Sample


class Command(BaseCommand):
    help = "Assign sampled villages to a survey enumerator (an account with the enumerator role)."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, required=True)
        parser.add_argument("--enumerator", required=True, help="the enumerator's username")
        parser.add_argument("villages", nargs="+", help="village codes, or a regency code (all its villages)")

    def handle(self, *args, **options):
        sample = Sample.objects.filter(pk=options["sample"]).first()
        user = User.objects.filter(username=options["enumerator"]).first()
        if sample is None or user is None:
            raise CommandError("--sample/--enumerator: no such sample or account")
        codes = []
        for code in options["villages"]:
            if len(code) == 5:
                codes += list(sample.villages.filter(regency_code=code)
                              .values_list("village_code", flat=True))
            else:
                codes.append(code)
        try:
            n = villages_assign(actor=None, sample=sample, enumerator=user, village_codes=codes)
        except ValidationError as exc:
            reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(reasons) from None
        self.stdout.write(f"{n} villages assigned to {user.username}")
