"""Fixtures for the Open311 tests: a client's key made by the command, and posting with it."""

import pytest
from django.test import Client

from .tools import LES, V2, new_key


@pytest.fixture
def api_key() -> str:
    return new_key()


@pytest.fixture
def post(client: Client, api_key: str):
    """post(fmt="json", **fields) -> the answer to a form-encoded POST requests.{fmt};
    a field given as None is left out."""

    def _post(fmt: str = "json", **fields):
        data = {"api_key": api_key, "service_code": "theft", "address_id": LES,
                "description": "Motor dicuri di depan pura desa.", **fields}
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"{V2}/requests.{fmt}", data)

    return _post
