"""XML answers stay well-formed whatever residents typed."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from polmas.reports.models import Report
from polmas.reports.open311.serializers import to_xml

from .tools import listing, report_new

pytestmark = pytest.mark.django_db


def test_markup_in_a_description_comes_back_as_text(client: Client) -> None:
    text = 'Ada tulisan <script>alert("x")</script> & "]]>" di tembok balai desa 🙏'
    report = report_new(text=text)
    [item] = listing(client, "xml", service_request_id=str(report.pk))
    assert item["description"] == text


def test_characters_xml_cannot_carry_are_dropped_not_breaking_the_document(client: Client) -> None:
    report = report_new()
    # Stored before intake refused control characters, or written by another path.
    Report.objects.filter(pk=report.pk).update(description="bel\x07 berbunyi\x1b terus",
                                               public_summary="ok\x0c")
    [item] = listing(client, "xml", service_request_id=str(report.pk))
    assert item["description"] == "bel berbunyi terus" and item["status_notes"] == "ok"


def test_nested_lists_use_the_specifications_element_names() -> None:
    root = ET.fromstring(to_xml("service_definition", {  # noqa: S314  (our own output)
        "service_code": "x", "attributes": [{"code": "a", "values": [{"key": 1, "name": "one"}]}],
        "required": False, "missing": None}))
    assert root.find("attributes/attribute/values/value/key").text == "1"
    assert root.findtext("required") == "false" and root.findtext("missing") == ""
