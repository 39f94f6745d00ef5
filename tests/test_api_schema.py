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


@pytest.mark.django_db
def test_the_schema_is_precise_enough_for_generated_clients(schema):
    components = schema["components"]["schemas"]

    assert components["Job"]["properties"]["status"] == {
        "$ref": "#/components/schemas/JobStatusEnum"
    }
    assert components["Job"]["properties"]["photos"]["items"]["format"] == "uuid"
    assert components["RatingEnum"]["x-enum-varnames"] == ["DISLIKE", "NONE", "LIKE"]
    assert set(components["PreferenceProfile"]["required"]) >= {"default_strength"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    cube = schema["paths"]["/api/v1/looks/{slug}/cube/"]["get"]
    assert "format" not in [parameter["name"] for parameter in cube.get("parameters", [])]
    assert "415" in schema["paths"]["/api/v1/jobs/"]["post"]["responses"]


@pytest.mark.django_db
def test_created_and_accepted_answers_say_where(api_client, user, catalog_look, sent):
    from generation.tests.factories import PhotoFactory

    body = {
        "kind": "stylize",
        "photos": [str(PhotoFactory(owner=user).id)],
        "look": catalog_look.slug,
    }

    job = api_client.post("/api/v1/jobs/", body, format="json")
    export = api_client.post("/api/v1/me/export/")

    assert job["Location"] == f"/api/v1/jobs/{job.json()['id']}/"
    assert export["Location"] == f"/api/v1/jobs/{export.json()['id']}/"
