"""The server-rendered pages: record an activity (double submit safe), my week, rosters,
print, swap, check in, and the disaster-mode switch."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from conftest import person
from polmas.activities.models import Activity, DisasterMode, Roster, ShiftVolunteer, Swap
from polmas.activities.rosters import roster_generate

from .conftest import LES, OTHER_BULELENG, TEJAKULA

pytestmark = pytest.mark.django_db


def _form_uuid(html: str) -> str:
    match = re.search(r'name="client_uuid" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries a server-made client UUID"
    return match.group(1)


def _activity_post(client_uuid: str, **over) -> dict:
    # Desa Les keeps WITA (UTC+8): the form's date and time are read there. This very minute,
    # so the activity always falls in "this week", even just after Monday midnight.
    now = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=8)))
    data = {"client_uuid": client_uuid, "kind": "visit", "village": LES, "date": now.date().isoformat(),
            "time": now.strftime("%H:%M"), "households": "5", "issues_heard": "Jalan rusak"}
    data.update(over)
    return data


def test_bhabin_records_a_visit_and_a_double_submit_adds_nothing(login):
    client = login("bhabin")
    page = client.get("/kegiatan/baru/")
    assert page.status_code == 200
    html = page.content.decode()
    uid = _form_uuid(html)
    assert LES in html and OTHER_BULELENG not in html
    sent = _activity_post(uid)
    first = client.post("/kegiatan/baru/", sent)
    assert first.status_code == 302 and first["Location"] == "/kegiatan/"
    second = client.post("/kegiatan/baru/", sent, follow=True)
    assert Activity.objects.filter(client_uuid=uid).count() == 1
    html = second.content.decode()
    assert f'data-uuid="{uid}"' in html
    # Entered and shown in Desa Les's own zone.
    assert f'{sent["time"]} WITA' in html
    assert _form_uuid(client.get("/kegiatan/baru/").content.decode()) != uid


def test_bad_activity_shows_the_field_error_and_stores_nothing(login):
    client = login("bhabin")
    uid = _form_uuid(client.get("/kegiatan/baru/").content.decode())
    page = client.post("/kegiatan/baru/", _activity_post(uid, households=""))
    assert page.status_code == 200 and 'id="id_households_error"' in page.content.decode()
    page = client.post("/kegiatan/baru/", _activity_post(uid, village=OTHER_BULELENG))
    assert 'id="id_village_error"' in page.content.decode()
    assert not Activity.objects.filter(client_uuid=uid).exists()


def test_non_officers_cannot_record_and_do_not_see_detection(login):
    client = login("bhabin")
    uid = _form_uuid(client.get("/kegiatan/baru/").content.decode())
    client.post("/kegiatan/baru/", _activity_post(uid, kind="detection", households="", summary="Rahasia X"))
    secret = Activity.objects.get(client_uuid=uid)
    assert "Rahasia X" in login("kapolsek").get("/kegiatan/daftar/").content.decode()
    fkpm = login("fkpm")
    assert fkpm.get("/kegiatan/baru/").status_code == 403
    assert f'data-id="{secret.pk}"' not in fkpm.get("/kegiatan/daftar/").content.decode()


def _roster_form(**over) -> dict:
    data = {"village": LES, "name": "Ronda Banjar Dangin", "kind": "ronda",
            "start": timezone.localdate().isoformat(), "nights": "7", "weekdays": list("0123456"),
            "per_post": "2", "max_per_week": "3", "posts": "Pos Barat\nPos Timur",
            "volunteers": "\n".join(f"Warga {i}; ; 0123456" for i in range(8))}
    data.update(over)
    return data


def test_roster_pages_generate_print_swap_and_check_in(login):
    client = login("bhabin")
    bad = client.post("/kegiatan/ronda/baru/", _roster_form(per_post="1"))
    assert bad.status_code == 200 and 'id="id_per_post_error"' in bad.content.decode()
    created = client.post("/kegiatan/ronda/baru/", _roster_form())
    assert created.status_code == 302
    roster = Roster.objects.get(name="Ronda Banjar Dangin")
    client.post(f"/kegiatan/ronda/{roster.pk}/buat/", {"version": roster.version})
    page = client.get(f"/kegiatan/ronda/{roster.pk}/").content.decode()
    assert page.count("<li") >= 7 * 2 * 2 and "Pos Timur" in page
    printed = client.get(f"/kegiatan/ronda/{roster.pk}/cetak/").content.decode()
    assert 'class="roster"' in printed and "activities.css" in printed and "Check in" not in printed
    places = list(ShiftVolunteer.objects.filter(shift__roster=roster).order_by("night", "id"))
    a = places[0]
    b = next(p for p in places if p.night != a.night and p.volunteer_id != a.volunteer_id
             and not ShiftVolunteer.objects.filter(volunteer_id=a.volunteer_id, night=p.night).exists()
             and not ShiftVolunteer.objects.filter(volunteer_id=p.volunteer_id, night=a.night).exists())
    roster.refresh_from_db()
    client.post(f"/kegiatan/ronda/{roster.pk}/tukar/",
                {"version": roster.version, "first": a.pk, "second": b.pk})
    assert Swap.objects.filter(roster=roster).count() == 1
    client.post(f"/kegiatan/ronda/{roster.pk}/hadir/", {"place": a.pk})
    tonight = ShiftVolunteer.objects.filter(shift__roster=roster, night=timezone.localdate()).first()
    login("fkpm").post(f"/kegiatan/ronda/{roster.pk}/hadir/", {"place": tonight.pk})
    assert ShiftVolunteer.objects.get(pk=tonight.pk).checked_in_at is not None
    assert login("kapolsek_depok").get(f"/kegiatan/ronda/{roster.pk}/").status_code == 404
    outsider = login("kapolsek_depok")
    assert outsider.post(f"/kegiatan/ronda/{roster.pk}/hadir/", {"place": a.pk}).status_code == 404


def test_roster_page_shows_shortages(login):
    client = login("bhabin")
    client.post("/kegiatan/ronda/baru/", _roster_form(volunteers="A\nB\nC", nights="2"))
    roster = Roster.objects.get(name="Ronda Banjar Dangin")
    roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    page = client.get(f"/kegiatan/ronda/{roster.pk}/").content.decode()
    assert 'id="shortages"' in page and page.count("0 of 2") + page.count("0 dari 2") == 2


def test_disaster_switch_for_supervisors_only(login):
    assert login("bhabin").get("/kegiatan/bencana/").status_code == 404
    assert "/kegiatan/bencana/" not in login("bhabin").get("/kegiatan/").content.decode()
    client = login("kapolsek")
    assert "/kegiatan/bencana/" in client.get("/kegiatan/").content.decode()
    assert TEJAKULA in client.get("/kegiatan/bencana/").content.decode()
    client.post("/kegiatan/bencana/", {"prefix": TEJAKULA, "kind": "earthquake", "reason": "Gempa"})
    assert DisasterMode.objects.filter(prefix=TEJAKULA, ended_at__isnull=True).exists()
    assert f'data-prefix="{TEJAKULA}"' in client.get("/kegiatan/bencana/").content.decode()
    client.post("/kegiatan/bencana/", {"end": TEJAKULA})
    assert not DisasterMode.objects.filter(ended_at__isnull=True).exists()


def test_admin_lists_activities_read_only(login):
    bhabin = login("bhabin")
    uid = _form_uuid(bhabin.get("/kegiatan/baru/").content.decode())
    bhabin.post("/kegiatan/baru/", _activity_post(uid))
    activity = Activity.objects.get(client_uuid=uid)
    admin = login("admin")
    listing = admin.get("/admin/activities/activity/")
    assert listing.status_code == 200
    assert f"/admin/activities/activity/{activity.pk}/" in listing.content.decode()
    assert admin.get("/admin/activities/activity/add/").status_code == 403
    assert admin.post(f"/admin/activities/activity/{activity.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.parametrize("username", ["kapolsek_depok", "warga", "mitra"])
def test_outsiders_reach_no_roster_page_and_change_nothing(login, username):
    login("bhabin").post("/kegiatan/ronda/baru/", _roster_form())
    roster = Roster.objects.get(name="Ronda Banjar Dangin")
    roster_generate(actor=person("bhabin"), roster_id=roster.pk)
    roster.refresh_from_db()
    before = (roster.version, sorted(ShiftVolunteer.objects.filter(shift__roster=roster)
                                     .values_list("pk", "volunteer_id", "night")))
    places = list(ShiftVolunteer.objects.filter(shift__roster=roster).order_by("night", "id")[:2])
    client = login(username)
    base = f"/kegiatan/ronda/{roster.pk}/"
    for path in (base, base + "cetak/", base + "ubah/"):
        assert client.get(path).status_code == 404, path
    posts = {base + "ubah/": _roster_form(name="Diambil alih"),
             base + "buat/": {"version": roster.version},
             base + "tukar/": {"version": roster.version, "first": places[0].pk, "second": places[1].pk},
             base + "hadir/": {"place": places[0].pk}}
    for path, data in posts.items():
        assert client.post(path, data).status_code == 404, path
    roster.refresh_from_db()
    assert (roster.version, sorted(ShiftVolunteer.objects.filter(shift__roster=roster)
                                   .values_list("pk", "volunteer_id", "night"))) == before
    assert roster.name == "Ronda Banjar Dangin" and not Swap.objects.filter(roster=roster).exists()
    assert not ShiftVolunteer.objects.filter(shift__roster=roster, checked_in_at__isnull=False).exists()
    # Nor may they switch disaster mode on for Tejakula.
    client.post("/kegiatan/bencana/", {"prefix": TEJAKULA, "kind": "earthquake", "reason": "x"})
    assert not DisasterMode.objects.filter(prefix=TEJAKULA).exists()
