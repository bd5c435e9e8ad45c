from django.contrib.auth import views as auth_views
from django.urls import path

from polmas.web import account, notifications, password, report, views
from polmas.web.forms import LoginForm

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(
        template_name="web/login.html", authentication_form=LoginForm), name="login"),
    *password.urlpatterns,  # logout, password reset
    path("", views.home, name="home"),
    path("akun/token/", account.tokens, name="tokens"),
    path("akun/token/<int:token_id>/cabut/", account.token_revoke_view, name="token-revoke"),
    path("akun/notifikasi/", notifications.notification_settings, name="notifications"),
    path("akun/notifikasi/perangkat/", notifications.device_add, name="notification-device-add"),
    path("akun/notifikasi/perangkat/<int:device_id>/hapus/", notifications.device_remove,
         name="notification-device-remove"),
    path("kerja/", views.queue, name="queue"),
    path("kerja/laporan/dilihat/", report.inbox_seen_view, name="inbox-seen"),
    path("kerja/laporan/<int:report_id>/", report.report_page, name="report-page"),
    path("kerja/laporan/<int:report_id>/foto/", report.report_photo, name="report-photo"),
    path("kerja/laporan/<int:report_id>/balas/", report.report_reply_view, name="report-reply"),
    path("kerja/laporan/<int:report_id>/tolak/", report.report_dismiss_view, name="report-dismiss"),
    path("kerja/laporan/<int:report_id>/duplikat/", report.report_duplicate_view, name="report-duplicate"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:code>/", views.coverage, name="coverage-region"),
]
