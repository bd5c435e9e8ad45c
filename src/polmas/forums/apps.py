from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "polmas.forums"
    label = "forums"
    verbose_name = _("FKPM forums")

    def ready(self) -> None:
        from polmas.forums import scope_sources  # noqa: F401  (registers with access.scope)
