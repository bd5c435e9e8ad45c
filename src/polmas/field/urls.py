from django.urls import path

from polmas.field import views

app_name = "field"

urlpatterns = [
    path("lapangan/", views.app, name="app"),
    path("lapangan/manifest.webmanifest", views.manifest, name="manifest"),
    path("lapangan/ikon-<int:size>.png", views.icon, name="icon"),
    path("lapangan/teks-<str:lang>.json", views.strings, name="strings"),
    path("sw.js", views.service_worker, name="sw"),
]
