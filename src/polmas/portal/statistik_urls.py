from django.urls import path

from polmas.portal import statistik_views as views

app_name = "statistik"
urlpatterns = [
    path("", views.page, name="national"),
    path("data.csv", views.data_csv, name="csv"),
    path("data.geojson", views.data_geojson, name="geojson"),
    path("<str:code>/", views.page, name="region"),
]
