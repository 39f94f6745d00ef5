"""Unknown pages get an HTML page for people and the API's JSON error shape under /api/."""

import pytest
from django.test import RequestFactory

from config import views


@pytest.mark.django_db
def test_unknown_page_is_an_html_404_with_a_heading(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"<h1" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-endpoint/", "/api/nothing"])
def test_unknown_api_url_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "not_found", "message": "No such endpoint.", "fields": {}}
    }


def test_server_error_is_json_under_the_api():
    response = views.server_error(RequestFactory().get("/api/v1/looks/"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert b'"code": "server_error"' in response.content


@pytest.mark.django_db
def test_server_error_page_is_html_even_when_it_cannot_render(settings):
    """The 500 page still answers when its template (or what it needs) is broken."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    request = RequestFactory().get("/looks/")

    response = views.server_error(request)

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"<h1>" in response.content


def test_permission_denied_is_json_under_the_api():
    response = views.permission_denied(RequestFactory().get("/api/v1/photos/"))

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert b'"code": "permission_denied"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/photos/", "application/json"), ("/accounts/login/", "text/html")],
)
def test_a_request_django_refuses_is_a_400_in_the_right_format(client, user, path, content_type):
    client.force_login(user)
    too_many_fields = {f"field{index}": "x" for index in range(1100)}

    response = client.post(path, too_many_fields)

    assert response.status_code == 400
    assert response["Content-Type"].startswith(content_type)
    if content_type == "application/json":
        assert response.json()["error"]["code"] == "bad_request"


def test_nested_field_errors_are_flat_lists_of_messages():
    from rest_framework import serializers

    from core.api import exception_handler

    class Request(serializers.Serializer):
        photos = serializers.ListField(child=serializers.CharField(max_length=3))
        strength = serializers.FloatField()

    data = Request(data={"photos": ["ok", "too long"], "strength": "x"})
    assert not data.is_valid()

    response = exception_handler(serializers.ValidationError(data.errors), {})

    assert response.status_code == 400
    assert response.data["error"]["fields"] == {
        "photos": ["1: Ensure this field has no more than 3 characters."],
        "strength": ["A valid number is required."],
    }


@pytest.mark.parametrize(
    ("method", "path", "format_"),
    [("patch", "/api/v1/me/profile/", "json"), ("post", "/api/v1/photos/", "multipart")],
)
def test_nul_characters_in_api_input_are_a_400_not_a_database_error(
    api_client, user, method, path, format_
):
    response = getattr(api_client, method)(path, {"favourite_looks": ["look\x00"]}, format=format_)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Text may not contain NUL characters."
