from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "polmas.planning"
    label = "planning"
    verbose_name = _("Road map and replication planner")
