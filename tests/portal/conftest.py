"""The public report pages write photos: into a temporary directory, never into var/."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:
    """Uploaded photos go to a temporary directory, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
