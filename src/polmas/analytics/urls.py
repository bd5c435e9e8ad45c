from django.urls import path, re_path

from polmas.analytics import data_views, views

app_name = "analytics"
EXPORT = r"export/(?P<table>[a-z]+)\.(?P<fmt>[a-z]+)$"
urlpatterns = [
    path("", views.board, name="national"),
    path("assets/leaflet/<str:name>", views.leaflet_asset, name="leaflet"),
    path("data/<str:kind>/<int:year>.<str:fmt>", data_views.bulk_export, name="bulk-export"),
    re_path(r"^" + EXPORT, views.export, name="export-national"),
    path("<str:code>/", views.board, name="region"),
    re_path(r"^(?P<code>[^/]+)/" + EXPORT, views.export, name="export"),
]
