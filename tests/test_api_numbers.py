"""Numbers are JSON numbers: a boolean or a string in a numeric field is a 400, never 1 or 1.0."""

import pytest

PROFILE = "/api/v1/me/profile/"


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["default_strength", "result_long_side", "keep_originals_days"])
@pytest.mark.parametrize("value", [True, False, "1", "0.5"])
def test_the_profile_refuses_booleans_and_strings_as_numbers(api_client, field, value):
    response = api_client.patch(PROFILE, {field: value}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


@pytest.fixture
def result(user):
    from generation.tests.factories import PhotoFactory, ResultFactory

    return ResultFactory(photo=PhotoFactory(owner=user))


@pytest.mark.django_db
@pytest.mark.parametrize("value", [True, "0.5", "1"])
def test_a_job_refuses_a_boolean_or_string_strength(api_client, user, catalog_look, value):
    from generation.tests.factories import PhotoFactory

    body = {
        "kind": "stylize",
        "photos": [str(PhotoFactory(owner=user).id)],
        "look": catalog_look.slug,
        "strength": value,
    }

    response = api_client.post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 400, response.content
    assert "strength" in response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", [True, "1"])
def test_feedback_refuses_a_boolean_or_string_rating(api_client, result, value):
    response = api_client.post(f"/api/v1/results/{result.id}/feedback/", {"rating": value})

    assert response.status_code == 400, response.content
    assert "rating" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_an_empty_feedback_body_is_a_400(api_client, result):
    response = api_client.post(f"/api/v1/results/{result.id}/feedback/", {}, format="json")

    assert response.status_code == 400
    assert "rating" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_every_numeric_request_field_refuses_a_boolean(api_client, user, result, catalog_look):
    """Walks the schema, so a new numeric field is covered the day it is added."""
    from generation.tests.factories import PersonalAdapterFactory
    from jobs.tests.factories import JobFactory

    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    ids = {
        "photos": result.photo_id,
        "results": result.id,
        "jobs": JobFactory(owner=user).id,
        "adapters": PersonalAdapterFactory(owner=user, look=catalog_look).id,
    }
    checked = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body_schema = content["application/json"]["schema"]
            body_schema = components[body_schema["$ref"].rsplit("/", 1)[1]]
            collection = path.removeprefix("/api/v1/").split("/")[0]
            if "{id}" in path and collection not in ids:
                continue  # no object to reach its validation here; its own tests cover it
            url = path.replace("{id}", str(ids.get(collection)))
            for name, field in body_schema.get("properties", {}).items():
                if field.get("type") not in {"number", "integer"}:
                    continue
                response = getattr(api_client, method)(url, {name: True}, format="json")
                assert response.status_code == 400, (method, path, name, response.content)
                assert name in response.json()["error"]["fields"], (method, path, name)
                checked.append((method, path, name))

    assert ("post", "/api/v1/jobs/", "strength") in checked
    assert ("patch", "/api/v1/me/profile/", "default_strength") in checked
