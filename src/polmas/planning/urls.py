from django.urls import path

from polmas.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.home, name="home"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("usulan/<int:proposal_id>/", views.proposal, name="proposal"),
    path("usulan/<int:proposal_id>/terapkan/", views.apply, name="apply"),
    path("tonggak/<int:milestone_id>/", views.milestone, name="milestone"),
    path("skenario/", views.compare, name="compare"),
]
