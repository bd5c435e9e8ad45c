"""Helpers for the Open311 tests: keys made by the command, reading answers and errors."""

import io
import xml.etree.ElementTree as ET

from django.core.management import call_command
from django.test import Client

from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Report

LES = "51.08.09.2007"  # Desa Les: the bhabin's village, in Polsek Tejakula
V2 = "/open311/v2"


def new_key(name: str = "Lapor Desa app") -> str:
    """A key made the way an administrator makes one: the last line of the command's output."""
    out = io.StringIO()
    call_command("create_api_key", "--name", name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def xml_of(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314  (our own answer, in a test)


def assert_errors(response, status: int, names: str | None = None, fmt: str = "json") -> list[dict]:
    """The answer is the standard's error list with `status`; a description names `names`."""
    assert response.status_code == status, response.content
    if fmt == "xml":
        root = xml_of(response)
        assert root.tag == "errors"
        errors = [{"code": int(e.findtext("code")), "description": e.findtext("description")}
                  for e in root.findall("error")]
    else:
        assert response["Content-Type"] == "application/json; charset=utf-8"
        errors = response.json()
    assert errors and all(set(e) == {"code", "description"} and e["description"] for e in errors)
    assert errors[0]["code"] == status
    if names is not None:
        assert any(e["description"].startswith(f"{names}:") for e in errors), errors
    return errors


def report_new(category: str = "theft", village: str = LES, text: str = "Ada pencurian ayam.",
               **extra) -> Report:
    """A report stored through intake, as the web form or SMS would."""
    return report_submit(ReportInput(category=category, description=text, channel="web",
                                     village=village, **extra)).report


def listing(client: Client, fmt: str = "json", **params) -> list[dict]:
    response = client.get(f"{V2}/requests.{fmt}", params)
    assert response.status_code == 200, response.content
    if fmt == "json":
        return response.json()
    return [{child.tag: child.text or "" for child in item} for item in xml_of(response)]


def ids_of(items: list[dict]) -> set[int]:
    return {int(item["service_request_id"]) for item in items}

