"""The OpenAPI schema says exactly what each operation takes, so generated clients work."""

import pytest
from django.urls import reverse


@pytest.fixture
def schema(client) -> dict:
    return client.get(reverse("schema"), {"format": "json"}).json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.mark.django_db
def test_json_bodies_are_json_only_and_uploads_multipart_only(schema):
    for path, method, operation in operations(schema):
        if "requestBody" not in operation:
            continue
        types = set(operation["requestBody"]["content"])
        expected = {"multipart/form-data"} if path == "/api/v1/photos/" else {"application/json"}
        assert types == expected, (method, path)
