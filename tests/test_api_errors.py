"""The API answers its JSON error shape for every malformed request, in every mode."""

import pytest
from rest_framework.test import APIClient

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
