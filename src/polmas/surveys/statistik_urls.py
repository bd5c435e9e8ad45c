from django.urls import path

from polmas.surveys import views

app_name = "survey_stats"
urlpatterns = [
    path("", views.published, name="published"),
    path("data.csv", views.published_csv, name="csv"),
    path("data.xlsx", views.published_xlsx, name="xlsx"),
]
