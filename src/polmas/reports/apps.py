from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "polmas.reports"
    label = "reports"
    verbose_name = _("Community reports")

    def ready(self) -> None:
        from polmas.core.metrics import register_source
        from polmas.reports import lookups, notifications
        from polmas.reports.metrics import routing_backlog

        lookups.connect()
        notifications.connect()
        register_source("routing", routing_backlog)
