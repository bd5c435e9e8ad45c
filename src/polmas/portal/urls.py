from django.urls import path

from polmas.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.report_form, name="report"),
    path("terkirim/", views.report_sent, name="sent"),
    path("status/", views.report_status, name="status"),
]
