from django.urls import path

from polmas.cases import supervision_views, views
from polmas.cases.pages import STEPS

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("baru/", views.case_new, name="new"),
    path("dari-rapat/<int:issue_id>/", views.from_meeting_issue, name="from-meeting-issue"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/awasi/", supervision_views.case_supervise, name="supervise"),
    path("<int:case_id>/kesepakatan/<int:mediation_id>.pdf", views.case_agreement, name="agreement"),
    *[path(f"<int:case_id>/{step}/", views.case_step, {"step": step}, name=f"step-{step}") for step in STEPS],
]
