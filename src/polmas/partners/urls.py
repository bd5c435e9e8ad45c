from django.urls import path

from polmas.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("baru/", views.organisation_new, name="organisation-new"),
    path("<int:organisation_id>/ubah/", views.organisation_edit, name="organisation-edit"),
    path("<int:organisation_id>/kontak/", views.organisation_contacts, name="contacts"),
    path("<int:organisation_id>/kontak/<int:contact_id>/", views.contact_edit, name="contact-edit"),
    path("<int:organisation_id>/kontak/<int:contact_id>/hapus/", views.contact_remove, name="contact-remove"),
    path("<int:organisation_id>/program/baru/", views.programme_new, name="programme-new"),
    path("program/<int:programme_id>/ubah/", views.programme_edit, name="programme-edit"),
    path("program/<int:programme_id>/tautan/", views.programme_link, name="programme-link"),
    path("program/<int:programme_id>/tautan/<int:link_id>/hapus/", views.programme_unlink,
         name="programme-unlink"),
    path("layanan/baru/", views.service_new, name="service-new"),
    path("layanan/<int:service_id>/ubah/", views.service_edit, name="service-edit"),
    path("<int:organisation_id>/", views.organisation_profile, name="profile"),
    path("<int:organisation_id>/perjanjian/baru/", views.agreement_new, name="agreement-new"),
    path("perjanjian/<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("perjanjian/<int:agreement_id>/dokumen/", views.agreement_document, name="agreement-document"),
    path("program/<int:programme_id>/", views.programme_detail, name="programme"),
    path("kegiatan/", views.partner_activities, name="activities"),
    path("laporan/", views.partner_reports, name="reports"),
    path("layanan/", views.service_directory, name="services"),
]
