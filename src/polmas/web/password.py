"""Logging out with a word said, and Django's password reset by e-mail. The reset answers the
same whether or not an account has the address (Django's PasswordResetView), so it tells
nobody who has an account."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only), then a message on the login page it leads to."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are logged out. Log in again below."))
        return response


class _Refused:
    """A form sent back with errors answers 400, as every refused input here does."""

    def form_invalid(self, form: object) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]  # mixed into Django's views
        response.status_code = 400
        return response


class PasswordResetView(_Refused, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(_Refused, auth_views.PasswordResetConfirmView):
    pass


urlpatterns = [
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/password/reset/", PasswordResetView.as_view(
        template_name="web/password_reset.html",
        email_template_name="web/password_reset_email.txt",
        subject_template_name="web/password_reset_subject.txt",
        success_url=reverse_lazy("password_reset_done")), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="web/password_reset_done.html"), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(
        template_name="web/password_reset_confirm.html",
        success_url=reverse_lazy("password_reset_complete")), name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="web/password_reset_complete.html"), name="password_reset_complete"),
]
