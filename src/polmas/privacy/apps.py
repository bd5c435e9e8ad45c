from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A data subject's requests (UU 27/2022) across the rooms that hold personal data; it
    sits above reports and forums and composes their personal_data services (ADR 14)."""

    name = "polmas.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
