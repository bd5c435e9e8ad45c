from django.contrib.auth import views as auth_views
from django.urls import path

from polmas.web import account, password, views
from polmas.web.forms import LoginForm

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(
        template_name="web/login.html", authentication_form=LoginForm), name="login"),
    *password.urlpatterns,  # logout, password reset
    path("", views.home, name="home"),
    path("akun/token/", account.tokens, name="tokens"),
    path("akun/token/<int:token_id>/cabut/", account.token_revoke_view, name="token-revoke"),
    path("kerja/", views.queue, name="queue"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:code>/", views.coverage, name="coverage-region"),
]
