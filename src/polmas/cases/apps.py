from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "polmas.cases"
    label = "cases"
    verbose_name = _("Problem solving")

    def ready(self) -> None:
        from polmas.cases.services import ESCALATION_EVERY, cases_escalate
        from polmas.core import periodic

        periodic.register("cases_escalate", every=ESCALATION_EVERY.total_seconds(), run=cases_escalate)
        from polmas.cases.notifications import FOLLOWUP_EVERY, followups_remind

        periodic.register("cases_followups_remind", every=FOLLOWUP_EVERY.total_seconds(),
                          run=followups_remind)
