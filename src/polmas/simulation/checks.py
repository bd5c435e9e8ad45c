"""`check --deploy`: no account may keep the published demo password where demos are refused."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, register
from django.db import DatabaseError

from polmas.simulation.accounts import PASSWORD, USERNAMES


@register("security", deploy=True)
def demo_accounts_check(app_configs=None, databases=None, **kwargs):
    """The demo accounts, and every staff account, checked against the demo password: each
    check costs a password hash, so not every account is tried (logins with it are refused
    anyway, polmas.access.backends)."""
    if settings.POLMAS_ALLOW_DEMO:
        return []
    users = get_user_model().objects.filter(is_active=True)
    try:
        candidates = list((users.filter(username__in=USERNAMES) | users.filter(is_staff=True)
                           | users.filter(is_superuser=True)).values_list("username", "password"))
    except DatabaseError:
        return []  # not migrated yet (CI checks a fresh database): no accounts to find
    found = sorted(name for name, hashed in candidates if check_password(PASSWORD, hashed))
    if not found:
        return []
    return [Error(
        f"Accounts with the published demo password: {', '.join(found)}.",
        hint="Logins with it are refused while POLMAS_ALLOW_DEMO is off; set a new password "
             "(`polmas changepassword USER`) or disable these accounts.",
        id="polmas.E101",
    )]
