"""Forms of the officer pages: they shape the input; the services decide what is allowed
(the jurisdiction check, the actor's scope) and say why not."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polmas.policing.models import Equipment

DATE = forms.DateInput(attrs={"type": "date"})


class VillageField(forms.CharField):
    """A village code, offered as a list of the officer's unit's villages but checked by the
    service, so a code typed or sent from elsewhere gets the service's clear refusal."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=13, widget=forms.Select, **kwargs)


class PostForm(forms.Form):
    village = VillageField(label=_("Village"))
    start = forms.DateField(label=_("From"), widget=DATE)
    replace = forms.BooleanField(
        label=_("End the village's current Bhabinkamtibmas's posting the day before"), required=False)


class TransferForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    village = VillageField(label=_("Move to the village"))
    start = forms.DateField(label=_("From"), widget=DATE)


class EndForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    end = forms.DateField(label=_("Last day"), widget=DATE)


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=150)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    provider = forms.CharField(label=_("Provider"), max_length=150, required=False)
    certificate = forms.CharField(label=_("Certificate number"), max_length=50, required=False)


class EquipmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Equipment.Kind.choices)
    condition = forms.ChoiceField(label=_("Condition"), choices=Equipment.Condition.choices)
    description = forms.CharField(label=_("Description"), max_length=150, required=False)
    acquired_on = forms.DateField(label=_("Acquired on"), widget=DATE, required=False)


FORMS: dict[str, type[forms.Form]] = {"post": PostForm, "transfer": TransferForm, "end": EndForm,
                                      "training": TrainingForm, "equipment": EquipmentForm}
