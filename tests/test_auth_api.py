"""The API token endpoint and the caller's profile, as a mobile client uses them."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

TOKEN_URL = "/api/v1/auth/token/"
PROFILE_URL = "/api/v1/me/profile/"


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def test_token_for_a_username_and_password(anonymous, user, password):
    response = anonymous.post(TOKEN_URL, {"username": user.username, "password": password})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_the_token_authenticates_requests(anonymous, user, password):
    token = anonymous.post(TOKEN_URL, {"username": user.username, "password": password}).json()

    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    assert anonymous.get(PROFILE_URL).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(anonymous, user, password):
    wrong_password = anonymous.post(TOKEN_URL, {"username": user.username, "password": "nope"})
    unknown_user = anonymous.post(TOKEN_URL, {"username": "nobody", "password": password})

    assert wrong_password.status_code == unknown_user.status_code == 400
    assert wrong_password.json() == unknown_user.json()
    error = wrong_password.json()["error"]
    assert error["code"] == "invalid_login"
    assert error["message"]
    assert error["fields"] == {}
    assert not Token.objects.filter(user=user).exists()


def test_missing_fields_are_named(anonymous):
    response = anonymous.post(TOKEN_URL, {"username": "someone"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["password"]


def test_delete_revokes_the_token(api_client, user):
    key = Token.objects.get(user=user).key

    response = api_client.delete(TOKEN_URL)

    assert response.status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert api_client.get(PROFILE_URL).status_code == 401


def test_anonymous_cannot_revoke_or_read_a_profile(anonymous):
    for response in (anonymous.delete(TOKEN_URL), anonymous.get(PROFILE_URL)):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Token"


def test_token_requests_are_throttled(anonymous, user):
    statuses = [
        anonymous.post(TOKEN_URL, {"username": user.username, "password": "guess"}).status_code
        for _ in range(21)
    ]

    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_profile_read_and_update(api_client, user):
    assert api_client.get(PROFILE_URL).json()["default_strength"] == 1.0

    response = api_client.patch(PROFILE_URL, {"default_strength": 0.6}, format="json")

    assert response.status_code == 200
    assert response.json()["default_strength"] == 0.6
    user.profile.refresh_from_db()
    assert user.profile.default_strength == 0.6


@pytest.mark.parametrize("strength", [-0.1, 1.6, "strong"])
def test_profile_rejects_a_strength_outside_its_range(api_client, user, strength):
    response = api_client.patch(PROFILE_URL, {"default_strength": strength}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["default_strength"]
    user.profile.refresh_from_db()
    assert user.profile.default_strength == 1.0


def test_profile_has_no_put(api_client):
    assert api_client.put(PROFILE_URL, {"default_strength": 0.5}, format="json").status_code == 405
