"""The public forms. They check shape only (lengths, dates, numbers); what a report must be
is checked once, by polmas.reports.intake, for every channel alike."""

import datetime as dt
import uuid

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polmas.core.validators import surrogates_replaced, text_problem
from polmas.reports.models import MAX_TEXT, Category, Report
from polmas.reports.selectors import categories_active

# Category.group values, as a resident reads them.
GROUPS = {
    "property": _("Property"),
    "violence": _("Violence"),
    "dispute": _("Disputes"),
    "order": _("Public order"),
    "crime": _("Crime"),
    "safety": _("Safety and disasters"),
    "protection": _("Protection (confidential)"),
    "other": _("Other"),
}
ANONYMOUS, WITH_CONTACT = "1", "0"
REPLY_CHOICES = [("", _("no answer needed")), ("sms", _("SMS")), ("whatsapp", _("WhatsApp")),
                 ("email", _("e-mail"))]


def category_choices() -> list:
    """Active categories grouped as the catalogue orders them; sensitive ones marked."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in categories_active():
        label = category.name
        if category.sensitive:
            label = _("%(name)s (confidential)") % {"name": label}
        groups.setdefault(category.group or "other", []).append((category.code, label))
    choices: list = [("", _("— choose —"))]
    for group, items in groups.items():
        choices.append((str(GROUPS.get(group, group.replace("_", " ").capitalize())), items))
    return choices


def sensitive_codes() -> set[str]:
    return set(categories_active().filter(sensitive=True).values_list("code", flat=True))


def storable_copy(data: QueryDict) -> tuple[QueryDict, dict[str, str]]:
    """`data` with unpaired surrogates replaced (a body sent in UTF-7 decodes to them), and
    the reason for each field that held one: the form refuses those fields, and what it
    sends back must be text a page can be encoded in."""
    copy, refused = data.copy(), {}
    for name, values in data.lists():
        fixed = [surrogates_replaced(v) for v in values]
        if fixed != values:
            refused[surrogates_replaced(name)] = text_problem("".join(values)) or ""
            copy.setlist(name, fixed)
    return copy, refused


def latest_today() -> dt.date:
    """Today in the easternmost zone (WIT): no later date is valid anywhere in Indonesia."""
    return timezone.now().astimezone(dt.timezone(dt.timedelta(hours=9))).date()


class ReportForm(forms.Form):
    category = forms.CharField(label=_("Category"), required=False, max_length=40,
                               widget=forms.Select())
    description = forms.CharField(
        label=_("What happened"), required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
        help_text=_("Who, what, where exactly. At most 5,000 characters."),
    )
    place = forms.CharField(
        label=_("Village (desa/kelurahan)"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Several villages share a name? Add the district after a comma, e.g. "
                    "“Les, Tejakula”."),
    )
    village_choice = forms.CharField(required=False, max_length=13)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput())
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput())
    date = forms.DateField(label=_("Date"), required=False,
                           input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time"), required=False,
                           input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    photo = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                            help_text=_("JPEG, PNG or WebP, at most 5 MB. Location data in the photo "
                                        "is removed."))
    anonymous = forms.ChoiceField(
        label=_("Who you are"), required=False, initial=ANONYMOUS, widget=forms.RadioSelect,
        choices=[(ANONYMOUS, _("Report anonymously: no name, no contact")),
                 (WITH_CONTACT, _("Leave my contact, so that I get answers"))],
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=150)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254,
                            widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}))
    reply_channel = forms.CharField(label=_("Answer me by"), required=False, max_length=10,
                                    widget=forms.Select(choices=REPLY_CHOICES))
    client_uuid = forms.CharField(required=False, max_length=36, widget=forms.HiddenInput())

    def __init__(self, data: QueryDict | None = None, *args, **kwargs) -> None:
        self.unstorable: dict[str, str] = {}
        if data is not None:
            data, self.unstorable = storable_copy(data)
        super().__init__(data, *args, **kwargs)
        self.fields["category"].widget.choices = category_choices()
        for name in ("category", "reply_channel"):  # no maxlength on a <select>
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["date"].widget.attrs["max"] = latest_today().isoformat()

    def clean_description(self) -> str:
        # Browsers send line breaks as CRLF but count them as one character against maxlength.
        return self.cleaned_data["description"].replace("\r\n", "\n")

    def clean_anonymous(self) -> bool:
        return self.cleaned_data.get("anonymous") != WITH_CONTACT

    def clean_client_uuid(self) -> uuid.UUID | None:
        # Only a guard against sending twice: a mangled one is no reason to turn a report away.
        try:
            return uuid.UUID(self.cleaned_data["client_uuid"])
        except ValueError:
            return None

    def clean(self) -> dict:
        data = super().clean()
        for name, reason in self.unstorable.items():
            self.add_error(name if name in self.fields else None, reason)
        if not data.get("category") and "category" not in self.errors:
            self.add_error("category", _("Choose a category."))
        if data.get("time") is not None and data.get("date") is None and "date" not in self.errors:
            self.add_error("date", _("Give the date as well as the time."))
        wants_answers = data.get("anonymous") is False
        if wants_answers and not (data.get("phone") or data.get("email")) and "phone" not in self.errors:
            self.add_error("phone", _("Give a phone number or an e-mail address, or choose to report "
                                      "anonymously."))
        unreadable = False
        for name in ("latitude", "longitude"):  # hidden fields: their errors belong to the place
            if name in self.errors:  # inside clean(): the dict full_clean() is filling
                del self.errors[name]
                unreadable = True
        if unreadable or (data.get("latitude") is None) != (data.get("longitude") is None):
            data.pop("latitude", None)
            data.pop("longitude", None)
            self.add_error("place", _("Your location could not be read; try again or type the village."))
        return data


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"), max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "placeholder": "ABCD-EFGH-JKMN"}),
        error_messages={"required": _("Type the tracking code you were given.")},
    )


def category_get(code: str) -> Category | None:
    return categories_active().filter(code=code).first() if code else None


RATINGS = [(5, _("5 – very good")), (4, _("4 – good")), (3, _("3 – fair")), (2, _("2 – poor")),
           (1, _("1 – very poor"))]


class FeedbackForm(forms.Form):
    """The reporter's answer once their report is resolved or closed."""

    code = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput())
    fixed = forms.ChoiceField(
        label=_("Is the problem fixed?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes, it is fixed")), ("no", _("No, it is not fixed"))],
        error_messages={"required": _("Say whether the problem is fixed."),
                        "invalid_choice": _("Say whether the problem is fixed.")},
    )
    reopen = forms.BooleanField(
        label=_("Reopen the report: ask the police to handle it again"), required=False)
    rating = forms.TypedChoiceField(
        label=_("How was the response?"), required=False, coerce=int, empty_value=None,
        choices=RATINGS, widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("A rating is a whole number from 1 to 5.")},
    )

    def clean_fixed(self) -> bool:
        return self.cleaned_data["fixed"] == "yes"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reopen") and data.get("fixed") is True:
            self.add_error("reopen", _("A fixed problem is not reopened."))
        return data


class PublicListForm(forms.Form):
    """Filters of the public list of reports (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("all categories"))] + [
            (c.code, c.name) for c in categories_active().filter(sensitive=False)]
        self.fields["status"].choices = [("", _("all"))] + list(Report.Status.choices)
