from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlyWarningConfig(AppConfig):
    # Not "warnings": a top-level app package of that name would shadow Python's own module.
    name = "polmas.earlywarning"
    label = "earlywarning"
    verbose_name = _("Early warning")

    def ready(self) -> None:
        from polmas.core import periodic
        from polmas.earlywarning.tasks import RUN_EVERY, early_warning_periodic

        periodic.register("early_warning", every=RUN_EVERY.total_seconds(), run=early_warning_periodic)
