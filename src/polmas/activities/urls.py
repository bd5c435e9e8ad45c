from django.urls import path

from polmas.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_mine, name="mine"),
    path("baru/", views.activity_new, name="new"),
    path("daftar/", views.activity_list, name="list"),
    path("<int:activity_id>/foto/", views.activity_photo, name="photo"),
    path("ronda/", views.roster_list, name="rosters"),
    path("ronda/baru/", views.roster_edit, name="roster-new"),
    path("ronda/<int:roster_id>/", views.roster_detail, name="roster"),
    path("ronda/<int:roster_id>/cetak/", views.roster_detail, {"print_view": True}, name="roster-print"),
    path("ronda/<int:roster_id>/ubah/", views.roster_edit, name="roster-edit"),
    path("ronda/<int:roster_id>/buat/", views.roster_generate, name="roster-generate"),
    path("ronda/<int:roster_id>/tukar/", views.roster_swap, name="roster-swap"),
    path("ronda/<int:roster_id>/hadir/", views.roster_check_in, name="roster-check-in"),
    path("ronda/<int:roster_id>/hadir/batal/", views.roster_check_in_undo, name="roster-check-in-undo"),
    path("bencana/", views.disaster_page, name="disaster"),
]
