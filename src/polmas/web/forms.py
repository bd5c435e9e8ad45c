from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with our own, plainer wording of the failure."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong username or password. Check both and try again; after repeated "
            "failures the account is locked for a while."
        ),
        "inactive": _("This account is disabled. Ask your administrator."),
    }
