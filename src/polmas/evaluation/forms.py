from django import forms
from django.utils.translation import gettext_lazy as _

from polmas.evaluation.models import Outcome, Pool


class EvaluateForm(forms.Form):
    intervention = forms.ModelChoiceField(queryset=None, label=_("Intervention"),
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
