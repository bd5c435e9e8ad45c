"""Forms of the activity, roster and disaster-mode pages. They only shape input; every rule
is checked again by the services."""

import datetime as dt
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from polmas.activities.models import MAX_TEXT, Activity, DisasterMode, Roster
from polmas.activities.rosters import VolunteerInput
from polmas.core.photos import PhotoError, photo_clean
from polmas.forums.forms import DateInput, TimeInput
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.regions.zones import zone_of

WEEKDAYS = [("0", _("Mon")), ("1", _("Tue")), ("2", _("Wed")), ("3", _("Thu")), ("4", _("Fri")),
            ("5", _("Sat")), ("6", _("Sun"))]
# Day names a volunteer line may use, in any of the languages (Indonesian, English, Tetum),
# short or long (Monday = "0"): the roster's edit form shows them in the active language.
DAY_NAMES = {name: str(i) for i, names in enumerate([
    ("sen", "senin", "mon", "monday", "seg", "segunda"),
    ("sel", "selasa", "tue", "tuesday", "ter", "tersa"),
    ("rab", "rabu", "wed", "wednesday", "kua", "kuarta"),
    ("kam", "kamis", "thu", "thursday", "kin", "kinta"),
    ("jum", "jumat", "jum'at", "fri", "friday", "ses", "sesta"),
    ("sab", "sabtu", "sat", "saturday", "sáb", "sábadu", "sabadu"),
    ("min", "minggu", "ahad", "sun", "sunday", "dom", "domingu"),
]) for name in names}


def days_parsed(text: str) -> str | None:
    """"Sen, Rab, Jum" (or "Mon Wed Fri", or the older "024") -> "024"; None if a word is not a
    day; "" for none given."""
    out = set()
    for word in text.replace(",", " ").replace("/", " ").split():
        word = word.strip(".").lower()
        if word.isdigit():
            if any(c not in "0123456" for c in word):
                return None
            out.update(word)
        elif word in DAY_NAMES:
            out.add(DAY_NAMES[word])
        else:
            return None
    return "".join(sorted(out))


def days_named(available: str) -> str:
    """"024" -> "Mon, Wed, Fri" in the active language; "" for every day."""
    if set(available) >= set("0123456"):
        return ""
    labels = dict(WEEKDAYS)
    return ", ".join(str(labels[d]) for d in sorted(set(available)) if d in labels)


class ActivityForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices)
    village = forms.ChoiceField(label=_("Village"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    households = forms.IntegerField(label=_("Households visited (visits)"), min_value=0, required=False)
    issues_heard = forms.CharField(label=_("Issues heard"), max_length=MAX_TEXT, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    topic = forms.CharField(label=_("Topic (outreach)"), max_length=200, required=False)
    audience = forms.IntegerField(label=_("Audience size (outreach)"), min_value=0, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=MAX_TEXT, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required for early detection and coordination. Early-detection "
                                          "reports are seen only by you and your supervisors."))
    latitude = forms.FloatField(label=_("Latitude (optional)"), required=False)
    longitude = forms.FloatField(label=_("Longitude (optional)"), required=False)
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
                            help_text=_("JPEG, PNG or WebP, at most 5 MB. Location data in the photo "
                                        "is removed."))

    # Which kinds of activity each field belongs to: the form shows only those of the kind
    # chosen (activity_form.js); without JavaScript every field shows, its label naming its kind.
    FOR_KINDS = {"households": ["visit"], "issues_heard": ["visit"], "topic": ["outreach"],
                 "audience": ["outreach"]}

    def __init__(self, *args, villages: list[Region], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.code, f"{v.name} ({v.code})") for v in villages]
        self.villages = {v.code: v for v in villages}
        for name, kinds in self.FOR_KINDS.items():
            self.fields[name].widget.attrs["data-kinds"] = " ".join(kinds)
        if not self.is_bound:
            self.initial.setdefault("client_uuid", uuid.uuid4())

    def clean_photo(self) -> tuple[bytes, str] | None:
        """(bytes, extension) of the re-encoded photo, or None; a bad photo is this field's error."""
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return photo_clean(upload)
        except PhotoError as exc:
            raise forms.ValidationError(str(exc)) from None

    def occurred_at(self) -> dt.datetime:
        village = self.villages.get(self.cleaned_data["village"])
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"],
                                   tzinfo=zone_of(village))


class RosterForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    village = forms.ChoiceField(label=_("Village"))
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Roster.Kind.choices)
    start = forms.DateField(label=_("First night"), widget=DateInput())
    nights = forms.IntegerField(label=_("Number of nights"), min_value=1, max_value=92, initial=28)
    weekdays = forms.MultipleChoiceField(label=_("Nights of the week"), choices=WEEKDAYS,
                                         widget=forms.CheckboxSelectMultiple,
                                         initial=[d for d, _n in WEEKDAYS])
    per_post = forms.IntegerField(label=_("Volunteers per post per night"), min_value=2, max_value=10,
                                  initial=2)
    max_per_week = forms.IntegerField(label=_("Most shifts per volunteer per week"), min_value=1,
                                      max_value=7, initial=2)
    posts = forms.CharField(label=_("Posts, one a line"), widget=forms.Textarea(attrs={"rows": 3}))
    volunteers = forms.CharField(
        label=_("Volunteers, one a line"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Name; phone (optional); the days they can come (optional: every day when "
                    "empty). Example: Wayan Sudarma; 081234567890; Mon, Wed, Fri, Sun"))

    def __init__(self, *args, villages: list[Region], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.code, f"{v.name} ({v.code})") for v in villages]

    def clean_posts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["posts"].splitlines() if line.strip()]

    def clean_volunteers(self) -> list[VolunteerInput]:
        out = []
        for n, line in enumerate(self.cleaned_data["volunteers"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) > 3:
                raise forms.ValidationError(_("Line %(n)s has more than three parts.") % {"n": n})
            parts += [""] * (3 - len(parts))
            days = days_parsed(parts[2])
            if days is None:
                raise forms.ValidationError(
                    _("Line %(n)s: “%(days)s” are not days of the week (write them like Mon, Wed, Fri).")
                    % {"n": n, "days": parts[2][:40]})
            out.append(VolunteerInput(name=parts[0], phone=parts[1], available=days or "0123456"))
        return out

    @staticmethod
    def lines(roster: Roster) -> dict:
        return {"posts": "\n".join(p.name for p in roster.posts.all()),
                "volunteers": "\n".join(
                    "; ".join([v.name, v.phone or "", days_named(v.available)]).rstrip("; ")
                    for v in roster.volunteers.all())}


class SwapForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    first = forms.TypedChoiceField(label=_("First volunteer's shift"), coerce=int)
    second = forms.TypedChoiceField(label=_("Second volunteer's shift"), coerce=int)

    def __init__(self, *args, places: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = places
        self.fields["second"].choices = places


class DisasterForm(forms.Form):
    prefix = forms.ChoiceField(label=_("District or village"))
    kind = forms.ChoiceField(label=_("Kind of disaster"), choices=DisasterMode.Kind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, places: list[Region], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefix"].choices = place_choices(places)


def place_choices(places: list[Region]) -> list:
    """Districts and villages by name, never by code alone: one group a district, its whole
    area first ("Tejakula district, all villages"), then its villages ("Village Tejakula")."""
    names = {r.code: r.name for r in places if r.level == codes.DISTRICT}
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in places:
        district = r.code if r.level == codes.DISTRICT else codes.parent_of(r.code)
        label = (_("%(name)s district, all villages") if r.level == codes.DISTRICT
                 else _("Village %(name)s")) % {"name": r.name}
        groups.setdefault(district, []).append((r.code, f"{label} · {r.code}"))
    return [(_("%(name)s district") % {"name": names.get(d, d)}, items) for d, items in groups.items()]
