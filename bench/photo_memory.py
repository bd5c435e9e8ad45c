"""What one photo costs to clean (issue 14, hole 5): peak memory and CPU of
polmas.core.photos.photo_clean for hostile and ordinary images, each in a fresh process.

    uv run python bench/photo_memory.py

Each image is written to a temporary file first; a child process then imports Django and
Pillow, resets the kernel's peak-RSS mark (Linux: "5" into /proc/self/clear_refs), notes its
RSS, cleans the photo once and reads the peak (VmHWM): the difference is what the photo cost.
Pillow allocates pixels outside Python's allocator, so tracemalloc would not see them.
"""

import io
import json
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path


def png_bomb(width: int, height: int) -> bytes:
    """A valid RGBA PNG of zeros, compressed row by row without holding the pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\0" * (1 + 4 * width)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def jpeg(width: int, height: int, **options: object) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 30)).save(out, "JPEG", quality=85, **options)
    return out.getvalue()


def webp(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 30)).save(out, "WEBP", quality=80)
    return out.getvalue()


CASES = {
    "PNG bomb 6300x6300 RGBA (39.7 MP)": lambda: png_bomb(6300, 6300),
    "PNG 3990x3990 RGBA (15.9 MP, the largest PNG taken)": lambda: png_bomb(3990, 3990),
    "WebP 4000x4000 (16 MP)": lambda: webp(4000, 4000),
    "WebP 2000x2000 (4 MP, the largest WebP taken)": lambda: webp(2000, 2000),
    "JPEG 7300x5470 (39.9 MP)": lambda: jpeg(7300, 5470),
    "JPEG 7300x5470 progressive, 4:4:4 (39.9 MP)": lambda: jpeg(7300, 5470, progressive=True, subsampling=0),
    "JPEG 3260x2450 progressive, 4:4:4 (8 MP, the largest progressive taken)":
        lambda: jpeg(3260, 2450, progressive=True, subsampling=0),
    "JPEG 4000x3000 (12 MP, a phone photo)": lambda: jpeg(4000, 3000),
}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def child(path: str) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from polmas.core.photos import PhotoError, photo_clean

    data = Path(path).read_bytes()
    upload = SimpleUploadedFile("photo", data)
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        out, ext = photo_clean(upload)
        outcome = f"stored as {ext}, {len(out)} bytes"
    except PhotoError as exc:
        outcome = f"refused: {exc}"
    result = {"outcome": outcome, "cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall,
              "peak_mb": (_status_kb("VmHWM") - before) / 1024}
    print(json.dumps(result))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES.items():
            path = Path(tmp) / "photo"
            path.write_bytes(make())
            size = path.stat().st_size
            run = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True,  # noqa: S603
                                 text=True, check=True)
            r = json.loads(run.stdout.strip().splitlines()[-1])
            print(f"{name}: {size / 1024:.0f} KB -> {r['outcome'][:70]}; peak RSS +{r['peak_mb']:.0f} MB, "
                  f"CPU {r['cpu_s']:.2f} s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
