"""Fixtures shared by the policing tests."""

import pytest
from django.db.models import F

from polmas.policing.models import Assignment


@pytest.fixture
def vacate():
    """vacate(code, ...) ends the current postings of those villages (the demo fills them all)."""

    def _vacate(*codes: str) -> None:
        Assignment.objects.filter(village_id__in=codes, end__isnull=True).update(end=F("start"))

    return _vacate
