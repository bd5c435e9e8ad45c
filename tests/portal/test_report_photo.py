"""Photos sent with the web form: stored re-encoded, with no EXIF and no GPS position."""

import io
from pathlib import Path

import pytest
from django.test import Client
from PIL import ExifTags, Image

from polmas.reports.models import Report

from .portaltools import form, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


def test_a_jpeg_with_gps_is_stored_without_any_exif(client: Client, _media: Path):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo does carry a position

    response = client.post("/lapor/", form(photo=upload("IMG_0001.jpg", original)))

    assert response.status_code == 302
    report = Report.objects.latest("pk")
    stored = Path(report.photo.path)
    assert stored.is_relative_to(_media) and stored.suffix == ".jpg"
    assert "IMG_0001" not in stored.name
    with Image.open(stored) as kept:
        assert kept.format == "JPEG"
        assert kept.size == (64, 48)
        assert dict(kept.getexif()) == {}
        assert "exif" not in kept.info
    assert b"KameraUji" not in stored.read_bytes()


def test_a_png_keeps_its_format(client: Client):
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 90, 0)).save(out, "PNG")

    client.post("/lapor/", form(photo=upload("peta.png", out.getvalue(), "image/png")))

    assert Report.objects.latest("pk").photo.name.endswith(".png")


def test_a_phones_multi_picture_jpeg_is_taken_as_its_first_picture(client: Client, _media: Path):
    """Many phones save a photo as MPO (the photo, then a preview or depth map): a JPEG to the
    resident, and to Pillow a format of its own, which used to be refused."""
    photo, preview = Image.new("RGB", (64, 48), (200, 30, 30)), Image.new("RGB", (16, 12), (0, 0, 255))
    out = io.BytesIO()
    photo.save(out, "MPO", save_all=True, append_images=[preview])
    with Image.open(io.BytesIO(out.getvalue())) as sent:
        assert sent.format == "MPO" and sent.n_frames == 2

    response = client.post("/lapor/", form(photo=upload("PXL_0001.jpg", out.getvalue())))

    assert response.status_code == 302
    stored = Path(Report.objects.latest("pk").photo.path)
    assert stored.suffix == ".jpg"
    with Image.open(stored) as kept:
        assert kept.format == "JPEG" and kept.size == (64, 48)
        assert getattr(kept, "n_frames", 1) == 1
        red, green, blue = kept.getpixel((32, 24))
        assert red > 150 and blue < 100  # the photo, not the preview
