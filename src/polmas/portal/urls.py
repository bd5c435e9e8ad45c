from django.urls import path

from polmas.portal import closing, public, views

app_name = "portal"

urlpatterns = [
    path("", views.report_form, name="report"),
    path("terkirim/", views.report_sent, name="sent"),
    path("status/", views.report_status, name="status"),
    path("status/tanggapan/", closing.feedback_by_code, name="feedback"),
    path("saya/", closing.mine, name="mine"),
    path("saya/<int:report_id>/", closing.mine_detail, name="mine-detail"),
    path("publik/", public.public_list, name="public"),
    path("publik/<int:report_id>/saya-juga/", public.me_too, name="me-too"),
    path("lokasi/", public.locate, name="locate"),
]
