"""The field app's files: small, our own, installable, in both languages, and the same for
everyone (no personal data in what the service worker keeps)."""

import gzip
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from polmas.field.strings import STRINGS

STATIC = Path(__file__).resolve().parents[2] / "src/polmas/field/static/field"
pytestmark = pytest.mark.django_db


def test_our_javascript_is_under_40_kb_gzipped_and_loads_nothing_from_elsewhere():
    scripts = sorted(STATIC.glob("*.js"))
    assert {p.name for p in scripts} == {"app.js", "sw.js"}
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in scripts)
    assert total < 40 * 1024, total
    for p in [*scripts, STATIC / "app.css"]:
        assert not re.search(r"https?://", p.read_text()), p.name  # no CDN, nothing remote


def test_manifest_icons_and_service_worker(client):
    manifest = client.get("/lapangan/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
    body = json.loads(manifest.content)
    assert body["start_url"] == "/lapangan/" and body["display"] == "standalone" and body["scope"] == "/"
    for icon in body["icons"]:
        png = client.get(icon["src"])
        size = int(icon["sizes"].split("x")[0])
        assert png.status_code == 200 and Image.open(io.BytesIO(png.content)).size == (size, size)
    assert client.get("/lapangan/ikon-7.png").status_code == 404
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/" and sw["Cache-Control"] == "no-cache"
    text = sw.content.decode()
    assets = json.loads(re.search(r"const ASSETS = (\[.*\]);", text).group(1))
    assert "/lapangan/" in assets and "/static/field/app.js" in assets
    for url in assets:  # each answers, to anyone: nothing personal is cached
        assert client.get(url).status_code == 200, url
    shell = client.get("/lapangan/").content.decode()
    assert "<script>" not in shell and 'rel="manifest"' in shell


def test_a_new_release_changes_the_workers_version(client, settings):
    first = re.search(r'const VERSION = "(\w+)"', client.get("/sw.js").content.decode()).group(1)
    settings.POLMAS_FIELD_RELEASE = "next"
    second = re.search(r'const VERSION = "(\w+)"', client.get("/sw.js").content.decode()).group(1)
    assert first != second


def test_the_catalogue_in_both_languages():
    from django.test import Client

    english = Client().get("/lapangan/teks-en.json").json()
    indonesian = Client().get("/lapangan/teks-id.json").json()
    assert set(english) == set(indonesian) == set(STRINGS)
    assert english["outbox"] == "Outbox"
    assert Client().get("/lapangan/teks-fr.json").status_code == 404


def test_every_text_key_the_app_uses_is_in_the_catalogue():
    source = (STATIC / "app.js").read_text()
    used = set(re.findall(r'\bt\("(\w+)"', source)) - {"kind_", "owner_"}  # <prefix><code>: below
    used |= {f"kind_{k}" for k in ("visit", "detection", "patrol", "outreach", "coordination")}
    used |= {f"owner_{k}" for k in ("officer", "fkpm_member", "partner", "village_government")}
    assert used and used <= set(STRINGS), used - set(STRINGS)
