"""Linking records (activities, meetings, cases, referrals) to a programme from its page and
the API: each room says where its record lies (partners.links); a record outside the
programme's places, or one the caller does not read, is refused naming `object_id`;
unlinking; the organisation's page counts the links with one grouped query."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.conftest import assert_error
from conftest import person
from polmas.access.models import AuditEntry
from polmas.activities.models import Activity
from polmas.cases import mediation
from polmas.cases import services as case_services
from polmas.cases.models import Case, Referral
from polmas.forums.models import Forum, Meeting
from polmas.forums.services import forum_create, meeting_create
from polmas.partners import services
from polmas.partners.models import ProgrammeLink
from polmas.policing.models import Officer
from polmas.regions.models import Region

from .conftest import COMPARE, LES, TEJAKULA

ELSEWHERE = COMPARE  # a Tejakula village outside the programme's places


def _depok_village() -> str:
    return Region.objects.filter(code__startswith="34.04.07.", level=Region.Level.VILLAGE).values_list(
        "code", flat=True).first()

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _call(client, token, username, method, path, body=None):
    headers = {"Authorization": f"Bearer {token(username)}", "Accept-Language": "en"}
    fn = getattr(client, method.lower())
    if body is None:
        return fn(path, headers=headers)
    return fn(path, body, content_type="application/json", headers=headers)


def _page(username: str) -> Client:
    c = Client(headers={"Accept-Language": "en"})
    c.force_login(person(username))
    return c


def _activity(village: str) -> Activity:
    """A visit by the demo's Bhabinkamtibmas (written directly: where it lies is what matters)."""
    return Activity.objects.create(kind=Activity.Kind.VISIT, village_id=village, client_uuid=uuid.uuid4(),
                                   officer=Officer.objects.get(user__username="bhabin"),
                                   occurred_at=timezone.now() - dt.timedelta(days=1), households=3)


def _meeting(village: str) -> Meeting:
    forum = Forum.objects.filter(village_id=village).first() or forum_create(
        actor=None, village=Region.objects.get(code=village), name="FKPM Les")
    return meeting_create(actor=None, forum=forum, held_at=timezone.now() - dt.timedelta(days=2),
                          agenda="Ronda malam.")[0]


def _case():
    return case_services.case_open(actor=person("bhabin"), village=LES, source="detection",
                                   category="neighbour_dispute", statement="Sengketa batas.",
                                   incidents_note="Sekali.", recurring=False)


def test_the_api_links_each_kind_inside_the_places_and_unlinks(cast, client, token):
    pk = cast.programme.pk  # places: Desa Les and 51.08.09.2006
    activity = _activity(LES)
    meeting = _meeting(LES)
    case = _case()
    case.refresh_from_db()
    referral = mediation.referral_create(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                         to="uptd_ppa", service_id=cast.buleleng_ppa.pk)
    made = []
    for kind, obj in (("activity", activity), ("meeting", meeting), ("case", case), ("referral", referral)):
        r = _call(client, token, "kapolsek", "POST", f"{API}/programmes/{pk}/links",
                  {"kind": kind, "object_id": obj.pk})
        assert r.status_code == 201, (kind, r.content)
        made.append(r.json()["id"])
    # Again: nothing new.
    r = _call(client, token, "kapolsek", "POST", f"{API}/programmes/{pk}/links",
              {"kind": "activity", "object_id": activity.pk})
    assert r.status_code == 201 and r.json()["id"] == made[0]
    assert ProgrammeLink.objects.filter(programme_id=pk).count() == 4
    assert AuditEntry.objects.filter(action="programme.link", object_id=str(pk)).count() == 4
    listed = _call(client, token, "bhabin", "GET", f"{API}/programmes/{pk}/links").json()["items"]
    assert {(i["kind"], i["object_id"]) for i in listed} == {
        ("activity", activity.pk), ("meeting", meeting.pk), ("case", case.pk), ("referral", referral.pk)}
    r = _call(client, token, "kapolsek", "DELETE", f"{API}/programmes/{pk}/links/{made[1]}")
    assert r.status_code == 204
    assert not ProgrammeLink.objects.filter(pk=made[1]).exists()
    assert AuditEntry.objects.filter(action="programme.unlink", object_id=str(pk)).exists()
    assert_error(_call(client, token, "kapolsek", "DELETE", f"{API}/programmes/{pk}/links/{made[1]}"), 404)


def test_a_record_outside_the_programmes_places_is_refused_naming_it(cast, client, token):
    pk = cast.programme.pk
    elsewhere = _activity(ELSEWHERE)  # Tejakula, the bhabin's scope too, not the programme's
    r = _call(client, token, "kapolsek", "POST", f"{API}/programmes/{pk}/links",
              {"kind": "activity", "object_id": elsewhere.pk})
    body = assert_error(r, 400, "object_id")
    assert elsewhere.village_id in body["errors"][0]["reason"] and "outside the programme" in body["detail"]
    # A record that does not exist, or that the caller does not read (Depok's), alike.
    depok = Activity.objects.create(kind=Activity.Kind.VISIT, village_id=_depok_village(),
                                    client_uuid=uuid.uuid4(),
                                    officer=Officer.objects.get(user__username="bhabin"),
                                    occurred_at=timezone.now(), households=1)
    for object_id in (987654321, depok.pk):
        r = _call(client, token, "kapolsek", "POST", f"{API}/programmes/{pk}/links",
                  {"kind": "activity", "object_id": object_id})
        assert "No activity" in assert_error(r, 400, "object_id")["detail"]
    assert not ProgrammeLink.objects.exists()


def test_a_sealed_case_the_caller_does_not_read_is_not_found(cast, client, token):
    case = case_services.case_open(actor=person("bhabin"), village=LES, source="detection",
                                   category="domestic_violence", statement="KDRT.",
                                   incidents_note="Dua kali.", recurring=True)
    case.refresh_from_db()
    assert case.sensitive
    r = _call(client, token, "kapolsek", "POST", f"{API}/programmes/{cast.programme.pk}/links",
              {"kind": "case", "object_id": case.pk})
    assert_error(r, 400, "object_id")
    assert not ProgrammeLink.objects.exists()


def test_who_may_link(cast, client, token):
    activity = _activity(LES)
    body = {"kind": "activity", "object_id": activity.pk}
    for username in ("bhabin", "ppa", "mitra", "warga"):
        r = _call(client, token, username, "POST", f"{API}/programmes/{cast.programme.pk}/links", body)
        assert r.status_code == 403, username
    assert_error(_call(client, token, "kapolsek_depok", "POST",
                       f"{API}/programmes/{cast.programme.pk}/links", body), 404)
    assert _call(client, token, "kapolsek", "POST", f"{API}/programmes/{cast.programme.pk}/links",
                 {"kind": "nope", "object_id": 1}).status_code == 422
    assert not ProgrammeLink.objects.exists()


def test_the_programme_page_links_and_unlinks(cast):
    kapolsek = _page("kapolsek")
    pk = cast.programme.pk
    page = kapolsek.get(f"/mitra/program/{pk}/")
    assert 'id="link-form"' in page.content.decode()
    assert 'id="link-form"' not in _page("bhabin").get(f"/mitra/program/{pk}/").content.decode()
    activity = _activity(LES)
    r = kapolsek.post(f"/mitra/program/{pk}/tautan/", {"kind": "activity", "object_id": activity.pk})
    assert r.status_code == 302
    link = ProgrammeLink.objects.get(programme_id=pk)
    text = kapolsek.get(f"/mitra/program/{pk}/").content.decode()
    assert f'data-link="{link.pk}"' in text and "Activities: 1" in text
    r = kapolsek.post(f"/mitra/program/{pk}/tautan/", {"kind": "activity", "object_id": 987654321})
    assert r.status_code == 400 and "Record number" in r.content.decode()
    assert "No activity 987654321" in r.content.decode()
    assert _page("bhabin").post(f"/mitra/program/{pk}/tautan/{link.pk}/hapus/").status_code == 403
    assert _page("kapolsek_depok").post(f"/mitra/program/{pk}/tautan/{link.pk}/hapus/").status_code == 404
    assert kapolsek.post(f"/mitra/program/{pk}/tautan/{link.pk}/hapus/").status_code == 302
    assert not ProgrammeLink.objects.exists()
    assert kapolsek.get(f"/mitra/program/{pk}/tautan/{link.pk}/hapus/").status_code == 405


def test_the_organisation_page_shows_agreements_programmes_services_and_counts(cast):
    kapolres = person("kapolres")
    activity = _activity(LES)
    services.programme_link(actor=kapolres, programme_id=cast.programme.pk, kind="activity",
                            object_id=activity.pk)
    hidden = services.service_create(actor=kapolres, name="Rumah Aman Tejakula", kind="shelter",
                                     region=TEJAKULA, public=False, organisation_id=cast.business.pk)
    text = _page("kapolsek").get(f"/mitra/{cast.business.pk}/").content.decode()
    assert 'id="org-agreements"' in text and "PKS anti perdagangan orang" in text
    assert "Activities: 1" in text and "Meetings: 0" in text
    assert "Rumah Aman Tejakula" in text and 'id="org-totals"' in text
    public = Client(headers={"Accept-Language": "en"}).get(f"/mitra/{cast.business.pk}/").content.decode()
    assert "PKS anti perdagangan orang" not in public and "Rumah Aman Tejakula" not in public
    assert "Activities: 1" not in public
    assert hidden.pk


def test_the_organisation_page_reads_the_counts_in_grouped_queries(cast):
    kapolres = person("kapolres")
    client = _page("kapolsek")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/mitra/{cast.business.pk}/").status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for i in range(4):
        p = services.programme_create(actor=kapolres, organisation_id=cast.business.pk, name=f"P{i}",
                                      objectives="O.", places=[LES], starts_on=cast.programme.starts_on,
                                      ends_on=cast.programme.ends_on)
        services.programme_link(actor=kapolres, programme_id=p.pk, kind="activity",
                                object_id=_activity(LES).pk)
    assert queries() == one  # no query per programme


# --- the programme's period (h32) ---------------------------------------------------------------

def _dated(model, pk: int, **moments) -> None:
    model.objects.filter(pk=pk).update(**moments)


def test_a_record_dated_outside_the_programmes_period_is_refused_with_the_reason(cast, client, token):
    programme = cast.programme  # from 300 days ago to 30 days ahead
    url = f"{API}/programmes/{programme.pk}/links"
    before = timezone.now() - dt.timedelta(days=400)
    activity, meeting = _activity(LES), _meeting(LES)
    _dated(Activity, activity.pk, occurred_at=before)
    _dated(Meeting, meeting.pk, held_at=before)
    case = _case()
    case.refresh_from_db()
    referral = mediation.referral_create(actor=person("bhabin"), case_id=case.pk, version=case.version,
                                         to="uptd_ppa", service_id=cast.buleleng_ppa.pk)
    _dated(Referral, referral.pk, sent_at=before)
    for kind, obj in (("activity", activity), ("meeting", meeting), ("referral", referral)):
        r = _call(client, token, "kapolsek", "POST", url, {"kind": kind, "object_id": obj.pk})
        body = assert_error(r, 400, "object_id")
        reason = body["errors"][0]["reason"]
        assert "outside the programme's period" in reason, reason
        assert timezone.localdate(before).isoformat() in reason and programme.starts_on.isoformat() in reason
    # A case counts when it was open during the period: one closed before it began does not...
    _dated(Case, case.pk, opened_at=before, closed_at=before + dt.timedelta(days=20))
    r = _call(client, token, "kapolsek", "POST", url, {"kind": "case", "object_id": case.pk})
    body = assert_error(r, 400, "object_id")
    assert "outside the programme's period" in body["errors"][0]["reason"]
    assert not ProgrammeLink.objects.filter(programme=programme).exists()
    # ...one opened before it and still open does.
    _dated(Case, case.pk, closed_at=None)
    r = _call(client, token, "kapolsek", "POST", url, {"kind": "case", "object_id": case.pk})
    assert r.status_code == 201, r.content


def test_a_record_dated_after_the_programme_ended_is_refused_on_the_page(cast):
    programme = cast.programme
    programme.ends_on = timezone.localdate() - dt.timedelta(days=10)
    programme.save()
    activity = _activity(LES)  # yesterday: after the programme ended
    r = _page("kapolsek").post(f"/mitra/program/{programme.pk}/tautan/",
                               {"kind": "activity", "object_id": activity.pk})
    assert r.status_code == 400
    assert "outside the programme&#x27;s period" in r.content.decode()
    assert not ProgrammeLink.objects.filter(programme=programme).exists()


def test_the_picker_lists_records_in_the_places_and_period_not_yet_counted(cast):
    programme = cast.programme
    inside, counted, elsewhere, old = _activity(LES), _activity(LES), _activity(ELSEWHERE), _activity(LES)
    _dated(Activity, old.pk, occurred_at=timezone.now() - dt.timedelta(days=400))
    services.programme_link(actor=None, programme_id=programme.pk, kind="activity", object_id=counted.pk)
    meeting = _meeting(LES)
    c = _page("kapolsek")
    page = c.get(f"/mitra/program/{programme.pk}/", {"pilih": "activity"})
    assert page.status_code == 200
    html = page.content.decode()
    offered = {int(v) for v in re.findall(r'name="object_id" value="(\d+)"', html)}
    assert inside.pk in offered
    assert not offered & {counted.pk, elsewhere.pk, old.pk}
    # Chosen and sent (no JavaScript: a radio button and a submit).
    r = c.post(f"/mitra/program/{programme.pk}/tautan/", {"kind": "activity", "object_id": inside.pk})
    assert r.status_code == 302
    assert ProgrammeLink.objects.filter(programme=programme, kind="activity", object_id=inside.pk).exists()
    meetings = c.get(f"/mitra/program/{programme.pk}/", {"pilih": "meeting"}).content.decode()
    assert f'name="object_id" value="{meeting.pk}"' in meetings
    # A kind that does not exist lists nothing, and is not written back into the page.
    bogus = c.get(f"/mitra/program/{programme.pk}/", {"pilih": "<script>x</script>"})
    assert bogus.status_code == 200 and 'id="pick"' not in bogus.content.decode()
    assert "<script>x</script>" not in bogus.content.decode()


def test_the_picker_is_for_those_who_link(cast):
    _activity(LES)
    page = _page("bhabin").get(f"/mitra/program/{cast.programme.pk}/", {"pilih": "activity"})
    assert page.status_code == 200 and 'id="pick"' not in page.content.decode()
