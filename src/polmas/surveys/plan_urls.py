from django.urls import path

from polmas.surveys import views

app_name = "survey_plan"
urlpatterns = [
    path("", views.samples, name="samples"),
    path("<int:sample_id>/", views.sample, name="sample"),
]
