from django.urls import path

from polmas.forums import views

app_name = "forums"
urlpatterns = [
    path("", views.forum_index, name="index"),
    path("<int:forum_id>/rapat/", views.meeting_list, name="meetings"),
    path("<int:forum_id>/rapat/baru/", views.meeting_new, name="meeting-new"),
    path("<int:forum_id>/kami-bertindak/", views.public_page, name="public"),
    path("rapat/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("rapat/<int:meeting_id>/ubah/", views.meeting_edit, name="meeting-edit"),
    path("rapat/<int:meeting_id>/terlaksana/", views.meeting_held, name="meeting-held"),
    path("rapat/<int:meeting_id>/kehadiran/", views.meeting_attendance, name="meeting-attendance"),
    path("rapat/<int:meeting_id>/keputusan/", views.meeting_decision, name="meeting-decision"),
    path("rapat/<int:meeting_id>/tindakan/", views.meeting_action, name="meeting-action"),
    path("rapat/<int:meeting_id>/tindakan/<int:action_id>/", views.meeting_action_status,
         name="meeting-action-status"),
    path("rapat/<int:meeting_id>/masalah/", views.meeting_issue, name="meeting-issue"),
]
