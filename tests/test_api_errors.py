"""The API answers its JSON error shape for every malformed request, in every mode."""

import pytest
from rest_framework.test import APIClient

from generation.tests.factories import PhotoFactory
from jobs.models import Job

API = "/api/v1"
NESTED = "[" * 2000 + "]" * 2000


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/auth/token/", "/jobs/", "/me/profile/"])
def test_deeply_nested_json_is_a_400(api_client, path):
    method = api_client.patch if path == "/me/profile/" else api_client.post
    response = method(API + path, NESTED, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_deeply_nested_json_is_a_400_anonymously():
    response = APIClient().post(f"{API}/auth/token/", NESTED, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_json_nested_past_the_limit_is_a_400_before_any_view_sees_it(api_client):
    body = "[" * 40 + "]" * 40

    response = api_client.post(f"{API}/jobs/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["error"]["message"]


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/jobs/0.5/", 404),
        ("post", "/results/0.5/feedback/", 404),
        ("get", "/no-such-thing/", 404),
        ("get", "/no-such-thing", 404),
        ("put", "/jobs/", 405),
    ],
)
def test_api_errors_are_json_in_every_mode(api_client, debug, method, path, status):
    response = getattr(api_client, method)(API + path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"]


@pytest.mark.django_db
def test_too_many_form_fields_is_a_json_400_in_every_mode(api_client, debug):
    fields = {f"field{index}": "x" for index in range(1001)}

    response = api_client.post(f"{API}/photos/", fields, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


@pytest.mark.django_db
def test_a_post_without_the_trailing_slash_reaches_the_endpoint(
    api_client, debug, user, catalog_look, sent
):
    body = {
        "kind": "stylize",
        "photos": [str(PhotoFactory(owner=user).id)],
        "look": catalog_look.slug,
    }

    response = api_client.post(f"{API}/jobs", body, format="json")

    assert response.status_code == 202, response.content
    assert Job.objects.filter(id=response.json()["id"], owner=user).exists()
