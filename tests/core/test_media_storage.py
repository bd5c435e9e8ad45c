"""Uploaded photos go through Django's STORAGES (POLMAS_MEDIA_STORAGE), so a deployment can
put them on shared storage; they are read back only through the views that check permission."""

import importlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from polmas.reports.intake import ReportInput, report_submit

pytestmark = pytest.mark.django_db

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("x.png", out.getvalue(), content_type="image/png")


def test_a_residents_photo_is_kept_and_served_by_the_configured_storage(settings, tmp_path, login, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}

    made = report_submit(ReportInput(category="theft", description="Motor saya hilang di depan pura.",
                                     channel="web", village="51.08.09.2007", photo=png()))
    name = made.report.photo.name

    assert default_storage.exists(name)
    assert not (tmp_path / "media").exists()  # nothing went to the filesystem
    officer = login("bhabin")
    answer = officer.get(f"/kerja/laporan/{made.report.pk}/foto/")
    assert answer.status_code == 200
    served = b"".join(answer.streaming_content)
    stored = default_storage.open(name)
    stored.seek(0)
    assert served.startswith(b"\x89PNG") and served == stored.read()
    # No public address serves it.
    client.logout()
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/{settings.MEDIA_URL}{name}").status_code == 404


def test_the_storage_and_its_options_come_from_the_environment(monkeypatch):
    import polmas.settings as module

    monkeypatch.setenv("POLMAS_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
    monkeypatch.setenv("POLMAS_MEDIA_STORAGE_OPTIONS", '{"location": "/srv/shared/polmas"}')
    try:
        reloaded = importlib.reload(module)
        assert reloaded.STORAGES["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                "OPTIONS": {"location": "/srv/shared/polmas"}}
        monkeypatch.setenv("POLMAS_MEDIA_STORAGE_OPTIONS", "[1]")
        with pytest.raises(module.SettingError, match="POLMAS_MEDIA_STORAGE_OPTIONS"):
            importlib.reload(module)
    finally:
        monkeypatch.delenv("POLMAS_MEDIA_STORAGE")
        monkeypatch.delenv("POLMAS_MEDIA_STORAGE_OPTIONS")
        importlib.reload(module)
