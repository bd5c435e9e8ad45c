from django.urls import path

from polmas.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("hasil/<int:pk>/", views.run_detail, name="run"),
    path("program/<int:programme_id>/", views.programme_register, name="programme"),
    path("hasil/<int:pk>/laporan.html", views.run_report, name="report"),
    path("hasil/<int:pk>/laporan.pdf", views.run_report_pdf, name="report_pdf"),
]
