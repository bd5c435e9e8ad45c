from django.urls import path, re_path

from polmas.analytics import views

app_name = "analytics"
EXPORT = r"export/(?P<table>[a-z]+)\.(?P<fmt>[a-z]+)$"
urlpatterns = [
    path("", views.board, name="national"),
    path("assets/leaflet/<str:name>", views.leaflet_asset, name="leaflet"),
    re_path(r"^" + EXPORT, views.export, name="export-national"),
    path("<str:code>/", views.board, name="region"),
    re_path(r"^(?P<code>[^/]+)/" + EXPORT, views.export, name="export"),
]
