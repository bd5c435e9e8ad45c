from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from polmas.evaluation.models import Outcome, Pool


class SlugChoiceField(forms.ModelChoiceField):
    """A choice by slug; a value holding NUL is no choice (PostgreSQL refuses it in a query)."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class EvaluateForm(forms.Form):
    intervention = SlugChoiceField(queryset=None, label=_("Intervention"),
                                          to_field_name="slug")
    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("Outcome"),
                                initial=Outcome.REPORTS)
    period_from = forms.IntegerField(label=_("From month (YYYYMM)"), required=False,
                                     min_value=190001, max_value=299912)
    period_to = forms.IntegerField(label=_("To month (YYYYMM)"), required=False,
                                   min_value=190001, max_value=299912)
    pool = forms.ChoiceField(choices=Pool.choices, label=_("Comparison pool"),
                             initial=Pool.NEVER)

    def __init__(self, *args, interventions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
