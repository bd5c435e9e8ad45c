from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "polmas.evaluation"
    verbose_name = _("Impact evaluation")
    default_auto_field = "django.db.models.BigAutoField"
