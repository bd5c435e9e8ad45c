"""Forms of the partner pages; they only parse. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polmas.partners.models import Agreement, PartnerActivity


def codes(value: str) -> list[str]:
    return [c.strip() for c in (value or "").replace("\n", ",").split(",") if c.strip()]


class AgreementForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    renews = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    police_party = forms.CharField(label=_("Police party"), max_length=150)
    other_parties = forms.CharField(label=_("Other parties"), max_length=500, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    places = forms.CharField(label=_("Places (region codes, separated by commas)"), max_length=3000)
    police_commitments = forms.CharField(label=_("What the police commit to"), widget=forms.Textarea,
                                         max_length=5000)
    partner_commitments = forms.CharField(label=_("What the partner commits to"), widget=forms.Textarea,
                                          max_length=5000)
    document = forms.FileField(label=_("Signed document (PDF, at most 10 MB)"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class PartnerActivityForm(forms.Form):
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    village = forms.CharField(label=_("Village (code)"), max_length=13,
                              widget=forms.TextInput(attrs={"list": "villages", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerActivity.Kind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=100_000, initial=0)
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea, max_length=2000)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)


class PartnerReportForm(forms.Form):
    village = forms.CharField(label=_("Village (code)"), max_length=13,
                              widget=forms.TextInput(attrs={"list": "villages", "autocomplete": "off"}))
    description = forms.CharField(label=_("What did you see?"), widget=forms.Textarea, max_length=5000,
                                  help_text=_("Sent sealed to the PPA unit. You will see its status, "
                                              "not its content."))
