from django.urls import path

from polmas.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:organisation_id>/", views.organisation_profile, name="profile"),
    path("<int:organisation_id>/perjanjian/baru/", views.agreement_new, name="agreement-new"),
    path("perjanjian/<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("perjanjian/<int:agreement_id>/dokumen/", views.agreement_document, name="agreement-document"),
    path("program/<int:programme_id>/", views.programme_detail, name="programme"),
    path("kegiatan/", views.partner_activities, name="activities"),
    path("laporan/", views.partner_reports, name="reports"),
    path("layanan/", views.service_directory, name="services"),
]
