"""Forms of the case pages: one per SARA step, action, mediation and referral. They only
shape the input; the services decide what is allowed and say why not."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polmas.cases.models import Action, Case, Referral
from polmas.cases.risk import QUESTIONS
from polmas.cases.services import TRIANGLE

TEXT = {"rows": 3}
MAX_ACTION_ROWS = 3
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class Versioned(forms.Form):
    """Every write names the version it was made on: a stale one changes nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to open this sealed case?"), max_length=1000,
                             widget=forms.Textarea(attrs=TEXT),
                             help_text=_("Your reason is recorded in the audit log with your name."))


class CaseOpenForm(forms.Form):
    village = forms.ChoiceField(label=_("Village"))
    category = forms.ChoiceField(label=_("Category"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Short; the start of the problem statement if left empty."))
    statement = forms.CharField(label=_("Problem statement"), max_length=5000,
                                widget=forms.Textarea(attrs=TEXT))
    incidents_note = forms.CharField(label=_("Linked incidents"), max_length=5000, required=False,
                                     widget=forms.Textarea(attrs=TEXT),
                                     help_text=_("Required when no report is linked."))
    recurring = forms.BooleanField(label=_("The problem keeps coming back"), required=False)
    report = forms.IntegerField(widget=forms.HiddenInput, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, villages: list[tuple[str, str]], categories: list[tuple[str, str]],
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages
        self.fields["category"].choices = categories


class AnalysisForm(Versioned):
    victim = forms.CharField(label=_("Victim or target"), max_length=1000)
    guardian = forms.CharField(label=_("Who guards the victim"), max_length=1000)
    offender = forms.CharField(label=_("Offender"), max_length=1000)
    handler = forms.CharField(label=_("Who handles the offender"), max_length=1000)
    place = forms.CharField(label=_("Place"), max_length=1000)
    manager = forms.CharField(label=_("Who manages the place"), max_length=1000)
    causes = forms.CharField(label=_("Causes"), max_length=5000, widget=forms.Textarea(attrs=TEXT))
    community_input = forms.CharField(label=_("Community input"), max_length=5000,
                                      widget=forms.Textarea(attrs=TEXT))

    def triangle(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in TRIANGLE}


def _action_fields(prefix: str = "", required: bool = True) -> dict[str, forms.Field]:
    return {
        f"{prefix}description": forms.CharField(label=_("Action"), max_length=500, required=required),
        f"{prefix}owner_kind": forms.ChoiceField(
            label=_("Owner is"), required=required,
            choices=([("", "—")] if not required else []) + list(Action.OwnerKind.choices)),
        f"{prefix}owner_name": forms.CharField(label=_("Owner's name"), max_length=150, required=required),
        f"{prefix}due": forms.DateField(label=_("Due date"), required=required,
                                        widget=forms.DateInput(attrs={"type": "date"})),
    }


class ResponseForm(Versioned):
    plan = forms.CharField(label=_("Response plan"), max_length=5000, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(MAX_ACTION_ROWS):
            self.fields.update(_action_fields(f"a{i}_", required=False))

    def rows(self) -> list[list[forms.BoundField]]:
        names = ("description", "owner_kind", "owner_name", "due")
        return [[self[f"a{i}_{n}"] for n in names] for i in range(MAX_ACTION_ROWS)]

    def actions(self) -> list[dict]:
        """The filled rows; a half-filled one goes to the service, which names what is missing."""
        out = []
        for i in range(MAX_ACTION_ROWS):
            row = {n: self.cleaned_data.get(f"a{i}_{n}") for n in ("description", "owner_kind", "owner_name")}
            due = self.cleaned_data.get(f"a{i}_due")
            if any(row.values()) or due:
                out.append({**{k: v or "" for k, v in row.items()}, "due": due})
        return out


class ActionAddForm(Versioned):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_action_fields())


class ActionUpdateForm(Versioned):
    action = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    due = forms.DateField(label=_("New due date"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))


class AssessmentForm(Versioned):
    # No outcome chosen for the officer: a first option that is no answer (issue 15).
    outcome = forms.ChoiceField(label=_("Outcome"),
                                choices=[("", _("Choose the outcome")), *Case.Outcome.choices])
    evidence = forms.CharField(label=_("Evidence"), max_length=5000, widget=forms.Textarea(attrs=TEXT),
                               help_text=_("What shows the outcome: fewer incidents, what residents say."))
    community_satisfied = forms.ChoiceField(label=_("Is the community satisfied?"), choices=YES_NO,
                                            widget=forms.RadioSelect)


class CloseForm(Versioned):
    public_summary = forms.CharField(
        label=_("Public summary"), max_length=500, required=False, widget=forms.Textarea(attrs=TEXT),
        help_text=_("Shown to the reporters and on the forum's public page; never for a sensitive matter."))


class MediationForm(Versioned):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    first_parties = forms.CharField(label=_("First party (one name a line)"), max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    second_parties = forms.CharField(label=_("Second party (one name a line)"), max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    fkpm_mediators = forms.CharField(label=_("FKPM mediators (one name a line)"), max_length=2000,
                                     required=False, widget=forms.Textarea(attrs={"rows": 2}))
    terms = forms.CharField(label=_("Agreed terms"), max_length=5000, widget=forms.Textarea(attrs=TEXT))

    @staticmethod
    def lines(value: str) -> list[str]:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ReferralForm(Versioned):
    to = forms.ChoiceField(label=_("Refer to"), choices=Referral.To.choices)
    # The services serving the case's village are offered (pages.py); the service checks again.
    service_id = forms.IntegerField(label=_("Listed service"), required=False, min_value=1,
                                    widget=forms.Select)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReferralAnswerForm(Versioned):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    accepted = forms.ChoiceField(label=_("Answer"), choices=[("yes", _("Accepted")), ("no", _("Declined"))],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (required when declined)"), max_length=500, required=False)


class SafetyPlanForm(Versioned):
    safe_place = forms.CharField(label=_("Safe place"), max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    trusted_contacts = forms.CharField(label=_("Trusted contacts"), max_length=1000, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    steps = forms.CharField(label=_("Steps to stay safe"), max_length=5000, widget=forms.Textarea(attrs=TEXT))


class RiskForm(Versioned):
    """The domestic-violence risk checklist: a yes or no for every question."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, question in QUESTIONS.items():
            self.fields[key] = forms.ChoiceField(label=question, choices=YES_NO, widget=forms.RadioSelect)

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data[key] == "yes" for key in QUESTIONS}

    def questions(self) -> list[forms.BoundField]:
        return [self[key] for key in QUESTIONS]
