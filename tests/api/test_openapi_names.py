"""The OpenAPI document names each schema once, and every enum it publishes is what the
endpoint accepts.

ninja publishes each schema under its class name and, when two different classes share a
name (Forum.Status and Report.Status, the forums' and the cases' ActionIn), silently keeps
the last: the document then describes one endpoint with another's fields or values.
"""

import json
import re
import uuid

import pytest
from django.utils import timezone
from ninja.openapi.schema import OpenAPISchema

from api.conftest import API, LES
from polmas.api import api as polmas_api

pytestmark = pytest.mark.django_db

OUTSIDE = "zz-not-a-value"


class _RecordingSchema(OpenAPISchema):
    """The document as ninja builds it, keeping every definition offered under each name."""

    def __init__(self, *args, **kwargs) -> None:
        self.offered: dict[str, list[str]] = {}
        super().__init__(*args, **kwargs)

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            self.offered.setdefault(name, []).append(json.dumps(definition, sort_keys=True, default=str))
        super().add_schema_definitions(definitions)


def test_no_two_schemas_share_a_component_name():
    doc = _RecordingSchema(polmas_api, API)
    clashes = {name: len(set(versions)) for name, versions in doc.offered.items() if len(set(versions)) > 1}
    assert clashes == {}, f"different schemas published under one name: {clashes}"
    assert set(doc.offered) == set(doc["components"]["schemas"])


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _enum(schema: dict, components: dict) -> list | None:
    """The values a property allows, if it is an enum (possibly nullable), else None."""
    schema = _resolve(schema, components)
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    values: list = []
    for option in schema.get("anyOf", []) + schema.get("oneOf", []):
        found = _enum(option, components)
        if found is None:
            if _resolve(option, components).get("type") != "null":
                return None
        else:
            values += found
    return values or None


def _published_enums(doc: dict) -> list[tuple[str, str, str, str, list]]:
    """(path, method, where, field, values) for every enum in a query parameter or a body's
    top-level property."""
    components = doc["components"]["schemas"]
    found = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                values = _enum(param["schema"], components)
                if values is not None:
                    found.append((path, method, param["in"], param["name"], values))
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                props = _resolve(body["schema"], components).get("properties", {})
                for name, prop in props.items():
                    values = _enum(prop, components)
                    if values is not None:
                        found.append((path, method, "body", name, values))
    return found


def _complete_bodies() -> dict[tuple[str, str], dict]:
    """Bodies valid but for the enum under test, for endpoints whose service checks the enum
    (ninja would refuse a body with fields missing before the service could)."""
    now = timezone.now().isoformat()
    return {
        (f"{API}/activities", "post"): {"client_uuid": str(uuid.uuid4()), "village": LES, "occurred_at": now,
                                        "households": 3},
        (f"{API}/disaster-modes", "post"): {"prefix": "51.08.09", "reason": "Banjir"},
        (f"{API}/rosters", "post"): {"village": LES, "name": "Ronda", "nights": 7, "posts": ["Pos"],
                                     "start": timezone.localdate().isoformat(),
                                     "volunteers": [{"name": "Satu"}, {"name": "Dua"}]},
    }


def _send(client, token, path: str, method: str, where: str, field: str, value):
    # Any well-formed ids: the values are checked before the record is looked up.
    url = re.sub(r"\{[a-z_]+_id\}", "1", path.replace("{code}", LES))
    headers = {"Authorization": f"Bearer {token('kapolsek')}", "Accept-Language": "en"}
    if where == "query":
        return client.get(url, {field: value}, headers=headers)
    body = {**_complete_bodies().get((path, method), {}), field: value}
    return client.generic(method.upper(), url, json.dumps(body),
                          content_type="application/json", headers=headers)


def _refused_fields(response) -> set[str]:
    # 422 from ninja's validation, 400 from a service that checks the value itself.
    if response.status_code not in (400, 422):
        return set()
    return {e["field"] for e in response.json()["errors"]}


def test_the_document_publishes_enums():
    enums = _published_enums(polmas_api.get_openapi_schema())
    fields = {(path, field) for path, _m, _w, field, _v in enums}
    # The four statuses that used to be published as one.
    assert {(f"{API}/forums", "status"), (f"{API}/forums/meetings", "status"),
            (f"{API}/reports", "status"), (f"{API}/cases/{{case_id}}/actions/{{action_id}}", "status"),
            (f"{API}/forums/meetings/{{meeting_id}}/actions", "status")} <= fields


@pytest.mark.parametrize("path,method,where,field,values", _published_enums(
    polmas_api.get_openapi_schema()), ids=lambda v: v if isinstance(v, str) else None)
def test_every_published_enum_value_is_accepted_and_no_other(client, token, path, method, where,
                                                             field, values):
    for value in values:
        response = _send(client, token, path, method, where, field, value)
        assert response.status_code < 500, response.content
        assert field not in _refused_fields(response), (value, response.content)
    response = _send(client, token, path, method, where, field, OUTSIDE)
    assert field in _refused_fields(response), response.content
