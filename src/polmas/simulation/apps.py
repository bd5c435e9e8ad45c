from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    name = "polmas.simulation"
    label = "simulation"
    verbose_name = _("Demo and simulation")

    def ready(self) -> None:
        from polmas.simulation import checks  # noqa: F401  (registers the deploy check)
