from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from polmas.core.persons import Person


class PersonForm(forms.Form):
    """Who the request is about, and what to do; erasure needs a reason and a confirmation."""

    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    name = forms.CharField(label=_("Name (only when neither phone nor e-mail is known)"),
                           max_length=150, required=False)
    reason = forms.CharField(label=_("Reason (for an erasure: the request's number or basis)"),
                             max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I confirm the erasure: it cannot be undone"), required=False)
    action = forms.ChoiceField(choices=[("find", "find"), ("export", "export"), ("erase", "erase")])

    def clean(self):
        data = super().clean()
        try:
            data["person"] = Person.parse(phone=data.get("phone", ""), email=data.get("email", ""),
                                          name=data.get("name", ""))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        if data.get("action") == "erase":
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give a reason for the erasure."))
            if not data.get("confirm"):
                self.add_error("confirm", _("Confirm the erasure."))
        return data
