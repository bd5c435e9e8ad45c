from django.urls import path

from polmas.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("", views.alarm_list, name="list"),
    path("<int:alarm_id>/", views.alarm_detail, name="detail"),
    path("<int:alarm_id>/akui/", views.alarm_act, {"action": "acknowledge"}, name="acknowledge"),
    path("<int:alarm_id>/abaikan/", views.alarm_act, {"action": "dismiss"}, name="dismiss"),
    path("<int:alarm_id>/kasus/", views.alarm_act, {"action": "case"}, name="case"),
]
