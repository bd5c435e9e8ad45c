"""Photos cost what a phone photo costs, whatever is sent (issue 14, hole 5): the sender's
blocks and hourly limit are checked before an image is touched, the size is read from the
header and refused before decoding, and what is decoded is bounded (core/photos.py)."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image, ImageFile, PngImagePlugin

from polmas.core.photos import DECODE_PIXELS
from polmas.reports.models import Block, Report
from polmas.reports.tracking import value_hash

from .portaltools import form, upload

pytestmark = pytest.mark.django_db
ENGLISH = {"Accept-Language": "en"}


def png_bomb(width: int, height: int) -> bytes:
    """A real RGBA PNG of zeros, compressed row by row: megapixels in a few hundred KB, made
    without ever holding the pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\0" * (1 + 4 * width)  # filter byte, then the pixels
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 30)).save(out, "JPEG", quality=50)
    return out.getvalue()


@pytest.fixture
def decoded(monkeypatch) -> list[tuple[int, int]]:
    """The size of every image whose pixels are decoded during the test (every format's
    decoder runs through ImageFile.load)."""
    sizes: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def spy(self):
        sizes.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return sizes


def test_a_decompression_bomb_is_refused_from_its_header(client: Client, _media: Path, decoded):
    bomb = png_bomb(6300, 6300)  # 39.7 megapixels, 159 MB decoded
    assert len(bomb) < 400_000

    response = client.post("/lapor/", form(photo=upload("bom.png", bomb, "image/png")), headers=ENGLISH)

    assert response.status_code == 400
    assert response.context["form"].errors["photo"] == [
        "The photo has too many pixels (6300 × 6300); send one of at most 16 megapixels."]
    assert decoded == []
    assert not Report.objects.exists()


def test_a_large_jpeg_is_decoded_reduced_and_stored_smaller(client: Client, _media: Path, decoded):
    response = client.post("/lapor/", form(photo=upload("besar.jpg", jpeg(5000, 4000))))

    assert response.status_code == 302
    assert decoded and all(w * h <= DECODE_PIXELS for w, h in decoded)
    with Image.open(Report.objects.get().photo.path) as kept:
        assert kept.size == (2500, 2000)


def test_a_jpeg_over_the_setting_is_refused_before_decoding(client: Client, settings, decoded):
    settings.POLMAS_PHOTO_MAX_PIXELS = 10_000_000

    response = client.post("/lapor/", form(photo=upload("besar.jpg", jpeg(4000, 3000))), headers=ENGLISH)

    assert response.status_code == 400
    assert response.context["form"].errors["photo"] == [
        "The photo has too many pixels (4000 × 3000); send one of at most 10 megapixels."]
    assert decoded == []


def test_a_progressive_jpeg_may_have_half_the_pixels(client: Client, decoded):
    """libjpeg holds a progressive JPEG's coefficients for the whole image before scaling."""
    def photo(**options: object):
        out = io.BytesIO()
        Image.new("RGB", (3300, 2500), (1, 2, 3)).save(out, "JPEG", **options)
        return upload("p.jpg", out.getvalue())

    progressive = client.post("/lapor/", form(photo=photo(progressive=True)), headers=ENGLISH)
    assert progressive.context["form"].errors["photo"] == [
        "The photo has too many pixels (3300 × 2500); send one of at most 8 megapixels."]
    assert decoded == []

    assert client.post("/lapor/", form(photo=photo())).status_code == 302


def test_a_webp_may_have_a_quarter_of_the_pixels(client: Client, decoded):
    """Pillow decodes a WebP through two RGBA buffers and a copy: 16 MP cost 244 MB."""
    out = io.BytesIO()
    Image.new("RGB", (2100, 2000), (1, 2, 3)).save(out, "WEBP")

    photo = upload("w.webp", out.getvalue(), "image/webp")
    response = client.post("/lapor/", form(photo=photo), headers=ENGLISH)

    assert response.context["form"].errors["photo"] == [
        "The photo has too many pixels (2100 × 2000); send one of at most 4 megapixels."]
    assert decoded == []


def test_a_rate_limited_sender_is_refused_before_the_photo_is_opened(client: Client, settings, monkeypatch):
    settings.POLMAS_REPORTS_PER_HOUR = 1
    opened: list[object] = []
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a) or pytest.fail("image opened"))
    assert client.post("/lapor/", form()).status_code == 302

    response = client.post("/lapor/", form(photo=upload("bom.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)))

    assert response.status_code == 429
    assert opened == []
    assert Report.objects.count() == 1


def test_a_blocked_sender_is_refused_before_the_photo_is_opened(client: Client, monkeypatch):
    Block.objects.create(kind="client", value_hash=value_hash("client", "127.0.0.1"), reason="spam")
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("image opened"))

    response = client.post("/lapor/", form(photo=upload("bom.png", png_bomb(100, 100), "image/png")))

    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_keep_no_metadata(client: Client, fmt: str):
    image = Image.new("RGB", (40, 30), (10, 20, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    out = io.BytesIO()
    extra: dict = {"exif": exif.tobytes()}
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "RahasiaGPS")
        extra["pnginfo"] = info
    image.save(out, fmt, **extra)
    assert b"KameraUji" in out.getvalue()

    photo = upload(f"f.{fmt.lower()}", out.getvalue(), f"image/{fmt.lower()}")
    response = client.post("/lapor/", form(photo=photo))

    assert response.status_code == 302
    stored = Path(Report.objects.get().photo.path).read_bytes()
    assert b"KameraUji" not in stored and b"RahasiaGPS" not in stored
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.size == (40, 30) and not kept.getexif()
