"""Django's model backend, refusing the published demo password where demos are not allowed.

Every login path goes through authenticate() (the login page, POST /api/v1/auth/token, the
admin's login), so refusing here closes them all; authenticate() then reports the failure
(user_login_failed), which axes counts and the audit log records like any wrong password.
"""

from django.conf import settings
from django.contrib.auth import backends
from django.http import HttpRequest

DEMO_PASSWORD = "polmas-demo"  # noqa: S105  (published in the README; refused in production)


def demo_password_refused(password: str | None) -> bool:
    """True when `password` is the demo password and demo accounts are not allowed."""
    return not settings.POLMAS_ALLOW_DEMO and password == DEMO_PASSWORD


class ModelBackend(backends.ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: object):
        if demo_password_refused(password):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
