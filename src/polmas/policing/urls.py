from django.urls import path

from polmas.policing import views

app_name = "policing"
urlpatterns = [
    path("", views.officer_list, name="officers"),
    path("<int:officer_id>/", views.officer_detail, name="officer"),
]
