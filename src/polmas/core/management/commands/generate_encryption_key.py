from django.core.management.base import BaseCommand

from polmas.env import new_encryption_key


class Command(BaseCommand):
    help = ("Print a new key for POLMAS_ENCRYPTION_KEY. To rotate, put it first: "
            "POLMAS_ENCRYPTION_KEY=new,old (old rows stay readable).")

    def handle(self, *args, **options):
        self.stdout.write(new_encryption_key())
