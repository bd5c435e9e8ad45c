from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicingConfig(AppConfig):
    name = "polmas.policing"
    label = "policing"
    verbose_name = _("Police units and officers")

    def ready(self) -> None:
        from polmas.policing import scope_sources  # noqa: F401  (registers with access.scope)
