"""Photos in chunks: each chunk checked against its hash, resumable, and landing with the
record that names them (or not at all)."""

import hashlib
import os
import uuid

import pytest

from polmas.field.models import Upload

from .conftest import SYNC, visit

pytestmark = pytest.mark.django_db
UP = "/api/v1/sync/uploads"


def _put(client, token, key, offset, data, digest=None):
    return client.put(f"{UP}/{key}?offset={offset}", data, content_type="application/octet-stream",
                      headers={"Authorization": f"Bearer {token}",
                               "X-Chunk-SHA256": digest or hashlib.sha256(data).hexdigest()})


def _jpeg(size: tuple[int, int] = (400, 300), comment: bytes = b"") -> bytes:
    """A real JPEG, as the phone shrinks it; with a comment (metadata the server drops)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, format="JPEG", quality=90, comment=comment)
    return out.getvalue()


def _upload(api, client, token, photo: bytes) -> str:
    key = str(uuid.uuid4())
    api("bhabin").post(UP, {"uuid": key, "size": len(photo), "sha256": hashlib.sha256(photo).hexdigest()})
    assert _put(client, token("bhabin"), key, 0, photo).json()["complete"] is True
    return key


def test_resumable_upload_then_the_record_lands_with_its_photo(api, client, token):
    photo = _jpeg((700, 500))
    assert 60_000 < len(photo) < 500_000
    key = str(uuid.uuid4())
    bhabin = api("bhabin")
    start = bhabin.post(UP, {"uuid": key, "size": len(photo), "sha256": hashlib.sha256(photo).hexdigest()})
    assert start.status_code == 201 and start.json()["received"] == 0
    t = token("bhabin")
    assert _put(client, t, key, 0, photo[:60_000]).json()["received"] == 60_000
    # A chunk whose hash does not match is refused, and nothing is stored.
    bad = _put(client, t, key, 60_000, photo[60_000:120_000], digest="0" * 64)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "X-Chunk-SHA256"
    # The phone lost the answer and starts again: it is told where to go on.
    again = bhabin.post(UP, {"uuid": key, "size": len(photo), "sha256": hashlib.sha256(photo).hexdigest()})
    assert again.status_code == 200 and again.json()["received"] == 60_000
    assert _put(client, t, key, 0, photo[:60_000]).status_code == 200  # a resent chunk is fine
    assert _put(client, t, key, 90_000, photo[90_000:]).status_code == 400  # a gap is not
    done = _put(client, t, key, 60_000, photo[60_000:])
    assert done.json() == {**done.json(), "complete": True, "received": len(photo)}

    record = visit()
    record["attachments"] = [key]
    result = bhabin.post(SYNC, {"records": [record]}).json()["results"][0]
    assert result["status"] == "created", result
    assert str(Upload.objects.get(pk=key).record) == record["uuid"]
    # The photo cannot be claimed by a second record.
    other = visit()
    other["attachments"] = [key]
    assert bhabin.post(SYNC, {"records": [other]}).json()["results"][0]["status"] == "rejected"
    # Another user never sees it.
    assert api("kapolsek").get(f"{UP}/{key}").status_code == 404


def test_a_whole_photo_whose_hash_does_not_match_is_refused_and_discarded(api, client, token):
    photo = os.urandom(5000)
    key = str(uuid.uuid4())
    api("bhabin").post(UP, {"uuid": key, "size": len(photo), "sha256": "a" * 64})
    answer = _put(client, token("bhabin"), key, 0, photo)
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "sha256"
    assert Upload.objects.get(pk=key).received == 0


def test_a_record_whose_photo_is_not_all_there_waits_and_stores_nothing(api):
    photo = os.urandom(5000)
    key = str(uuid.uuid4())
    bhabin = api("bhabin")
    bhabin.post(UP, {"uuid": key, "size": len(photo), "sha256": hashlib.sha256(photo).hexdigest()})
    record = visit()
    record["attachments"] = [key]
    result = bhabin.post(SYNC, {"records": [record]}).json()["results"][0]
    assert result["status"] == "rejected" and result["retry"] is True
    from polmas.activities.models import Activity

    assert not Activity.objects.filter(client_uuid=record["uuid"]).exists()


def test_the_photo_becomes_the_activitys_and_is_shown_on_its_pages(api, client, token, login):
    from polmas.activities.models import Activity

    key = _upload(api, client, token, _jpeg(comment=b"GPS -8.06 115.28 secret"))
    record = visit()
    record["attachments"] = [key]
    bhabin = api("bhabin")
    first = bhabin.post(SYNC, {"records": [record]}).json()["results"][0]
    assert first["status"] == "created", first
    activity = Activity.objects.get(client_uuid=record["uuid"])
    assert activity.photo and activity.photo.name.endswith(".jpg")
    stored = activity.photo.open("rb").read()
    assert stored.startswith(b"\xff\xd8") and b"secret" not in stored  # cleaned: no metadata
    name = activity.photo.name
    # A replay (the phone never heard the answer) changes nothing: one activity, one photo.
    again = bhabin.post(SYNC, {"records": [record]}).json()["results"][0]
    assert again == {**again, "status": "exists", "id": activity.pk}
    assert Activity.objects.filter(client_uuid=record["uuid"]).count() == 1
    assert Activity.objects.get(pk=activity.pk).photo.name == name
    # Shown where the officer reads their activities, and served to them.
    web = login("bhabin")
    mine = web.get("/kegiatan/")
    assert f'/kegiatan/{activity.pk}/foto/' in mine.content.decode()
    served = web.get(f"/kegiatan/{activity.pk}/foto/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored


def test_an_activity_first_sent_without_its_photo_gets_it_once(api, client, token):
    """Sent first through POST /activities (no photo), then by the field app with its photo:
    the same activity, now with the photo; sent again, the photo stays the first one."""
    from polmas.activities.models import Activity

    record = visit()
    bhabin = api("bhabin")
    assert bhabin.post("/api/v1/activities", record["body"]).status_code == 201
    activity = Activity.objects.get(client_uuid=record["uuid"])
    assert not activity.photo
    key = _upload(api, client, token, _jpeg())
    with_photo = {**record, "attachments": [key]}
    answer = bhabin.post(SYNC, {"records": [with_photo]}).json()["results"][0]
    assert answer == {**answer, "status": "exists", "id": activity.pk}
    name = Activity.objects.get(pk=activity.pk).photo.name
    assert name and str(Upload.objects.get(pk=key).record) == record["uuid"]
    assert bhabin.post(SYNC, {"records": [with_photo]}).json()["results"][0]["status"] == "exists"
    assert Activity.objects.get(pk=activity.pk).photo.name == name
    assert Activity.objects.filter(client_uuid=record["uuid"]).count() == 1


def test_a_photo_that_is_no_image_refuses_its_record(api, client, token):
    from polmas.activities.models import Activity

    key = _upload(api, client, token, os.urandom(5000))
    record = visit()
    record["attachments"] = [key]
    result = api("bhabin").post(SYNC, {"records": [record]}).json()["results"][0]
    assert result["status"] == "rejected" and result["errors"][0]["field"] == "body.photo"
    assert result["reason"].startswith("body.photo: ")
    assert not Activity.objects.filter(client_uuid=record["uuid"]).exists()
    assert Upload.objects.get(pk=key).record is None
