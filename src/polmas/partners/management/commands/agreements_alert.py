from django.core.management.base import BaseCommand

from polmas.partners.alerts import agreements_alert


class Command(BaseCommand):
    help = "Alert the owners of agreements that expire within 60 days (once each)."

    def handle(self, *args, **options) -> None:
        raised = agreements_alert()
        self.stdout.write(f"{raised} agreement alert(s) raised")
