from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "polmas.activities"
    label = "activities"
    verbose_name = _("Officer activities")
