from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from polmas.reports.open311.keys import api_key_create


class Command(BaseCommand):
    help = ("Make an API key for a third-party Open311 client. The key is printed once, as the "
            "last line; only its hash is kept. Revoke it in the admin.")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="who the key is for, e.g. 'Lapor Desa app'")

    def handle(self, *args, **options):
        try:
            key, secret = api_key_create(name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from None
        self.stdout.write(f"Open311 API key #{key.pk} for {key.name} (starts {key.key_prefix}).")
        self.stdout.write("Give it to the client now: it is not shown again. Clients send it as api_key.")
        self.stdout.write(secret)
