"""Forms of the meeting pages. They check shape only; the services hold the rules."""

import datetime as dt
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from polmas.forums.models import Meeting, MeetingActionItem
from polmas.regions.models import Region
from polmas.regions.zones import zone_of

ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class Versioned(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class WhenMixin(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())

    def held_at(self, village: Region) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"],
                                   tzinfo=zone_of(village))


class MeetingForm(WhenMixin):
    place = forms.CharField(label=_("Place"), max_length=150, required=False,
                            help_text=_("Leave empty for the forum's usual hall."))
    agenda = forms.CharField(label=_("Agenda"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Status"), choices=Meeting.Status.choices,
                               initial=Meeting.Status.PLANNED, widget=forms.RadioSelect)
    # Generated when the form is shown, so a double submit records one meeting.
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_uuid", str(uuid.uuid4()))


class MeetingEditForm(Versioned, WhenMixin):
    place = forms.CharField(label=_("Place"), max_length=150, required=False)
    agenda = forms.CharField(label=_("Agenda"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Minutes"), max_length=20000, required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))


class AttendanceForm(Versioned):
    present = forms.TypedMultipleChoiceField(label=_("Members present"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    others_men = forms.IntegerField(label=_("Other men"), min_value=0, max_value=100_000, initial=0)
    others_women = forms.IntegerField(label=_("Other women"), min_value=0, max_value=100_000,
                                      initial=0)
    others_unspecified = forms.IntegerField(label=_("Others (gender not recorded)"), min_value=0,
                                            max_value=100_000, initial=0)

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, m.name) for m in members]


class DecisionForm(Versioned):
    text = forms.CharField(label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(Versioned):
    description = forms.CharField(label=_("Action"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    owner_name = forms.CharField(label=_("Owner"), max_length=150,
                                 help_text=_("Who will do it: a person or a body, by name."),
                                 error_messages={"required": _("Every action needs an owner.")})
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())


class ActionStatusForm(Versioned):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingActionItem.Status.choices)


class IssueForm(Versioned):
    text = forms.CharField(label=_("Issue raised"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Shown on the forum's public page unless sensitive: do not "
                                       "write residents' names here."))
    category_code = forms.ChoiceField(label=_("Category"), required=False)
    raised_by = forms.CharField(label=_("Raised by (optional)"), max_length=150, required=False,
                                help_text=_("Only with the resident's consent; never shown publicly."))
    sensitive = forms.BooleanField(label=_("Sensitive matter"), required=False,
                                   help_text=_("Domestic or sexual violence, children, trafficking: "
                                               "only the Bhabinkamtibmas and the PPA unit read it."))

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category_code"].choices = [("", _("(none)")), *categories]
