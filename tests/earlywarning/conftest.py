import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """These tests read the command's and services' reasons in English (the msgids); pages
    asked for in a language of their own still answer in it."""
    with translation.override("en"):
        yield
