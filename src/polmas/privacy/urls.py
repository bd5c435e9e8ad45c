from django.urls import path

from polmas.privacy import views

app_name = "privacy"
urlpatterns = [path("", views.person_request, name="person")]
