from django.core.management.base import BaseCommand

from polmas.cases.notifications import followups_remind


class Command(BaseCommand):
    help = ("Tell officers of the actions of their open cases due today, each once a day, as each "
            "chose on /akun/notifikasi/. Safe to run as often as you like (e.g. hourly from cron).")

    def handle(self, *args, **options):
        told = followups_remind()
        self.stdout.write(f"{told} reminder(s) sent.")
