from django.urls import path

from polmas.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.home, name="home"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("wilayah/<str:code>/peta-jalan/", views.document, name="document"),
    path("wilayah/<str:code>/peta-jalan.pdf", views.document_pdf, name="document_pdf"),
    path("usulan/<int:proposal_id>/peta/", views.proposal_map, name="map"),
    path("usulan/<int:proposal_id>/", views.proposal, name="proposal"),
    path("usulan/<int:proposal_id>/terapkan/", views.apply, name="apply"),
    path("tonggak/<int:milestone_id>/", views.milestone, name="milestone"),
    path("skenario/", views.compare, name="compare"),
]
