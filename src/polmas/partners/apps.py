from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "polmas.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from polmas.core import periodic
        from polmas.partners.alerts import agreements_alert

        # Daily; the AgreementAlert row makes each alert once, whichever worker runs first.
        periodic.register("agreements_alert", every=6 * 3600, run=agreements_alert)
