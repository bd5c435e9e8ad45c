"""Forms of the planner's survey pages: they shape the input; planning.py decides what is
allowed and says why not."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _


class SampleForm(forms.Form):
    wave = forms.CharField(label=_("Wave name"), max_length=40, help_text=_("for example 2027-1"))
    year = forms.IntegerField(label=_("Year of fieldwork"))
    provinces = forms.CharField(label=_("Province codes"), max_length=300,
                                help_text=_("separated by commas, for example 51, 34"))
    margin = forms.FloatField(label=_("Margin for each regency, in points, at 95 percent confidence"),
                              initial=5.0)
    deff = forms.FloatField(label=_("Design effect"), initial=1.5)
    response_rate = forms.FloatField(label=_("Expected response rate (0.1 to 1)"), initial=0.85)
    per_village = forms.IntegerField(label=_("Households per village"), initial=10)
    seed = forms.IntegerField(label=_("Seed (the same seed draws the same sample)"), min_value=0,
                              max_value=2**31 - 1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = dt.date.today().year

    def clean_provinces(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["provinces"].split(",") if p.strip()]


class AssignForm(forms.Form):
    enumerator = forms.ChoiceField(label=_("Enumerator"))
    villages = forms.CharField(label=_("Villages"), widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=20_000,
                               help_text=_("village codes or a regency code (all its sampled villages), "
                                           "separated by spaces or commas"))

    def __init__(self, *args, enumerators=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enumerator"].choices = [(u.username, u.get_full_name() or u.username)
                                             for u in enumerators]

    def clean_villages(self) -> list[str]:
        return [c for c in self.cleaned_data["villages"].replace(",", " ").split() if c]


class LinksForm(forms.Form):
    village = forms.CharField(label=_("Village code"), max_length=13)
    count = forms.IntegerField(label=_("How many links"), min_value=1, max_value=200, initial=10)
