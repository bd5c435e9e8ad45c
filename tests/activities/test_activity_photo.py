"""An officer's activity photo (issue 15, item 13): taken through the form, cleaned by
core.photos (no metadata, content checked), stored under a random name and served only to
those who may read the activity, never from a public media URL."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from polmas.activities.models import Activity

from .conftest import LES
from .test_pages import _activity_post, _form_uuid

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _jpeg_with_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 30, 30)).save(out, format="JPEG", comment=b"secret-camera")
    return out.getvalue()


def _send(client, **over):
    uid = _form_uuid(client.get("/kegiatan/baru/").content.decode())
    return uid, client.post("/kegiatan/baru/", _activity_post(uid, **over))


def test_photo_is_stored_cleaned_and_served_to_the_officer_only(login):
    client = login("bhabin")
    uid, sent = _send(client, photo=SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_comment(), "image/jpeg"))
    assert sent.status_code == 302
    activity = Activity.objects.get(client_uuid=uid)
    assert activity.village_id == LES
    name = Path(activity.photo.name).name
    assert name.endswith(".jpg") and "IMG_0001" not in name and len(name) == 36  # random hex name
    stored = Path(activity.photo.path).read_bytes()
    assert b"secret-camera" not in stored  # re-encoded without its metadata

    url = f"/kegiatan/{activity.pk}/foto/"
    for page in ("/kegiatan/", "/kegiatan/daftar/"):
        html = client.get(page).content.decode()
        assert f'src="{url}"' in html and "/media/" not in html
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer["Cache-Control"] == "private, no-store"
    assert b"".join(answer.streaming_content) == stored
    # Outside the activity's scope it does not exist; signed out, the login page.
    assert login("kapolsek_depok").get(url).status_code == 404
    assert login("warga").get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_detection_photo_is_as_confidential_as_its_report(login):
    client = login("bhabin")
    uid, sent = _send(client, kind="detection", households="", summary="Rahasia",
                      photo=SimpleUploadedFile("a.jpg", _jpeg_with_comment(), "image/jpeg"))
    assert sent.status_code == 302
    url = f"/kegiatan/{Activity.objects.get(client_uuid=uid).pk}/foto/"
    assert client.get(url).status_code == 200
    assert login("fkpm").get(url).status_code == 404


def test_non_image_is_refused_naming_the_field_and_nothing_is_stored(login, _media):
    client = login("bhabin")
    uid, page = _send(client, photo=SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", "image/jpeg"))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="id_photo_error"' in html
    assert "Berkas bukan gambar yang dapat dibaca." in html  # Indonesian by default
    assert not Activity.objects.filter(client_uuid=uid).exists()
    assert not [p for p in Path(_media).rglob("*") if p.is_file()]


def test_activity_without_photo_has_no_photo_url(login):
    client = login("bhabin")
    uid, sent = _send(client)
    assert sent.status_code == 302
    activity = Activity.objects.get(client_uuid=uid)
    assert not activity.photo
    assert client.get(f"/kegiatan/{activity.pk}/foto/").status_code == 404
