"""Open311 answers in JSON and XML, and the standard's error shape.

XML is built with ElementTree, never by pasting strings, and characters XML 1.0 cannot carry
(control characters a resident may have typed) are dropped, so every answer parses.
"""

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element name of one item inside each list, as in the specification's examples.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, tag), child)
    else:
        element.text = xml_text(value)


def to_xml(root: str, data: Any) -> bytes:
    """`data` (a list of items, or one mapping) as an XML document under `root`."""
    element = ET.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode()


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def respond(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


class Open311Error(Exception):
    """One or more problems to answer in the standard's error shape.

    `problems` are (code, description) pairs; the HTTP status is `status`, by default the
    first problem's code.
    """

    def __init__(self, problems: list[tuple[int, str]], status: int | None = None) -> None:
        super().__init__(problems)
        self.problems = problems
        self.status = status or problems[0][0]


def error_response(error: Open311Error, fmt: str) -> HttpResponse:
    data = [{"code": code, "description": text} for code, text in error.problems]
    return respond(data, fmt if fmt in FORMATS else "json", root="errors", status=error.status)
