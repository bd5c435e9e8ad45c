from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "polmas.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from polmas.analytics import receivers

        receivers.connect()
        from polmas.analytics.programmes import trafficking_indicator
        from polmas.partners.indicators import indicator_source

        indicator_source(trafficking_indicator)
