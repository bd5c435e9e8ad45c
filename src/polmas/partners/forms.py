"""Forms of the partner pages; they only parse. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polmas.partners.models import Agreement, Organisation, PartnerActivity, ProgrammeLink, Service


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


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Type"), choices=Organisation.Kind.choices)
    places = forms.CharField(label=_("Places (region codes, separated by commas)"), max_length=3000,
                             required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, max_length=2000,
                                  required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_position = forms.CharField(label=_("Position"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=150, required=False)
    contact_email = forms.CharField(label=_("E-mail"), max_length=150, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("contact_name", "contact_position", "contact_phone", "contact_email"):
                del self.fields[name]
            self.fields["places"].help_text = _("Places outside your area stay as they are.")
        else:
            del self.fields["active"]


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea, max_length=5000)
    places = forms.CharField(label=_("Places (region codes, separated by commas)"), max_length=3000,
                             required=False)
    comparison = forms.CharField(label=_("Comparison villages (region codes, separated by commas)"),
                                 max_length=3000, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    agreement = forms.TypedChoiceField(label=_("Agreement"), coerce=int, required=False, empty_value=None)


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Service.Kind.choices)
    region = forms.CharField(label=_("Region it serves (code)"), max_length=13)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    whatsapp = forms.CharField(label=_("WhatsApp"), max_length=30, required=False)
    public = forms.BooleanField(label=_("Shown to residents"), required=False, initial=True)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    organisation = forms.TypedChoiceField(label=_("Run by"), coerce=int, required=False, empty_value=None)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=ProgrammeLink.Kind.choices)
    object_id = forms.IntegerField(label=_("Record number"), min_value=1, max_value=2**63 - 1)


class ContactForm(forms.Form):
    """A contact person (stored encrypted); the services check each field again."""

    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=150, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=150, required=False)
