"""API v1 for accounts, as a mobile client uses it: tokens, the profile, export and deletion."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from generation.models import Photo
from generation.tests.factories import PhotoFactory
from jobs.models import Job, JobKind, JobStatus
from styles.tests.factories import LookFactory

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
PROFILE = "/api/v1/me/profile/"
EXPORT = "/api/v1/me/export/"
TOKENS = "/api/v1/me/tokens/"
SIGNUP = "/api/v1/auth/signup/"


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def sign_in(client, user, password, device: str = "phone") -> dict:
    response = client.post(
        TOKEN, {"username": user.username, "password": password, "device": device}
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_token_for_a_username_and_password(anonymous, user, password):
    body = sign_in(anonymous, user, password)

    token = ApiToken.objects.get(user=user)
    assert body["token"].startswith(token.token_key)
    assert (body["id"], body["device"]) == (token.token_key, "phone")
    assert body["expires_at"]


def test_the_token_authenticates_requests(anonymous, user, password):
    token = sign_in(anonymous, user, password)

    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    assert anonymous.get(PROFILE).status_code == 200


def test_each_device_gets_its_own_token_and_signing_out_one_keeps_the_other(user, password):
    phone, tablet = APIClient(), APIClient()
    for client, device in ((phone, "phone"), (tablet, "tablet")):
        token = sign_in(client, user, password, device)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    assert phone.delete(TOKEN).status_code == 204

    assert phone.get(PROFILE).status_code == 401
    assert tablet.get(PROFILE).status_code == 200


def test_devices_are_listed_and_revocable_by_their_owner_only(user, password, other_api_client):
    phone, tablet = APIClient(), APIClient()
    ids = {}
    for client, device in ((phone, "phone"), (tablet, "tablet")):
        token = sign_in(client, user, password, device)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
        ids[device] = token["id"]

    listed = phone.get(TOKENS).json()
    assert {item["device"]: item["current"] for item in listed} == {"phone": True, "tablet": False}
    assert "token" not in listed[0]
    assert other_api_client.delete(f"{TOKENS}{ids['tablet']}/").status_code == 404

    assert phone.delete(f"{TOKENS}{ids['tablet']}/").status_code == 204
    assert tablet.get(PROFILE).status_code == 401


def test_an_expired_token_is_refused(anonymous, user, password):
    token = sign_in(anonymous, user, password)
    ApiToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))

    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    assert anonymous.get(PROFILE).status_code == 401


def test_a_bearer_header_is_told_to_use_token(user, password, anonymous):
    token = sign_in(anonymous, user, password)

    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token['token']}")
    response = anonymous.get(PROFILE)

    assert response.status_code == 401
    assert "Authorization: Token" in response.json()["error"]["message"]


def test_wrong_password_and_unknown_user_get_the_same_answer(anonymous, user, password):
    wrong_password = anonymous.post(TOKEN, {"username": user.username, "password": "nope"})
    unknown_user = anonymous.post(TOKEN, {"username": "nobody", "password": password})

    assert wrong_password.status_code == unknown_user.status_code == 400
    assert wrong_password.json() == unknown_user.json()
    error = wrong_password.json()["error"]
    assert error["code"] == "invalid_login"
    assert error["message"]
    assert error["fields"] == {}
    assert not ApiToken.objects.filter(user=user).exists()


def test_missing_fields_are_named(anonymous):
    response = anonymous.post(TOKEN, {"username": "someone"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["password"]


def test_sign_up_creates_an_account_and_signs_the_device_in(db, anonymous):
    body = {"username": "newcomer", "email": "new@example.com", "password": "a-long-passphrase-9"}

    response = anonymous.post(SIGNUP, body, format="json")

    assert response.status_code == 201, response.content
    assert response["Location"].startswith(TOKENS)
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = anonymous.get(ME).json()
    assert (me["username"], me["email"]) == ("newcomer", "new@example.com")
    assert User.objects.get(username="newcomer").profile


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "123"}, "password"),
        ({"username": "taken"}, "username"),
        ({"email": "x"}, "email"),
    ],
)
def test_sign_up_names_what_is_wrong(anonymous, user, change, field):
    user.username = "taken"
    user.save()
    body = {"username": "newcomer", "email": "new@example.com", "password": "a-long-passphrase-9"}

    response = anonymous.post(SIGNUP, {**body, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_me_shows_the_account(api_client, user):
    body = api_client.get(ME).json()

    assert body == {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "date_joined": body["date_joined"],
    }


def test_anonymous_cannot_revoke_or_read_a_profile(anonymous):
    for response in (anonymous.delete(TOKEN), anonymous.get(PROFILE)):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Token"


def test_token_requests_are_throttled(anonymous, user):
    statuses = [
        anonymous.post(TOKEN, {"username": user.username, "password": "guess"}).status_code
        for _ in range(21)
    ]

    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_sign_in_is_throttled_per_user_name_from_any_address(user, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**SimpleRateThrottle.THROTTLE_RATES, "auth_user": "3/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    statuses = [
        APIClient(REMOTE_ADDR=f"10.0.0.{n}")
        .post(TOKEN, {"username": user.username.upper(), "password": "guess"})
        .status_code
        for n in range(4)
    ]

    assert statuses == [400, 400, 400, 429]


def test_a_throttled_operation_says_its_limits_on_success(anonymous, user, password):
    response = anonymous.post(TOKEN, {"username": user.username, "password": password})

    assert response.status_code == 201
    assert int(response["RateLimit-Limit"]) > int(response["RateLimit-Remaining"]) >= 0
    assert int(response["RateLimit-Reset"]) >= 0


def test_profile_read_and_update(api_client, user):
    assert api_client.get(PROFILE).json()["default_strength"] == 1.0

    response = api_client.patch(PROFILE, {"default_strength": 0.6}, format="json")

    assert response.status_code == 200
    assert response.json()["default_strength"] == 0.6
    user.profile.refresh_from_db()
    assert user.profile.default_strength == 0.6


@pytest.mark.parametrize("strength", [-0.1, 1.6, "strong"])
def test_profile_rejects_a_strength_outside_its_range(api_client, user, strength):
    response = api_client.patch(PROFILE, {"default_strength": strength}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["default_strength"]
    user.profile.refresh_from_db()
    assert user.profile.default_strength == 1.0


def test_profile_has_no_put(api_client):
    assert api_client.put(PROFILE, {"default_strength": 0.5}, format="json").status_code == 405


def test_only_catalog_looks_can_be_favourites(api_client, user):
    shown = LookFactory(ready=True)
    hidden = LookFactory(ready=True, influencer__is_published=False)
    assert api_client.patch(PROFILE, {"favourite_looks": [shown.slug]}).status_code == 200
    response = api_client.patch(PROFILE, {"favourite_looks": [hidden.slug]})
    assert response.status_code == 400
    assert "favourite_looks" in response.json()["error"]["fields"]
    assert list(user.preference_profile().favourite_looks.all()) == [shown]


def test_export_returns_202_with_the_job(api_client, user):
    response = api_client.post(EXPORT)
    assert response.status_code == 202
    body = response.json()
    job = Job.objects.get(owner=user, kind=JobKind.EXPORT)
    assert body["id"] == str(job.id)
    assert (body["status"], body["progress"], body["output_url"]) == ("queued", 0, None)
    assert api_client.post(EXPORT).status_code == 429  # one export at a time


def test_export_shows_its_download_link_when_done(api_client, user, photo):
    from accounts import export, services

    job = services.request_export(user)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    export.build_export(job, lambda fraction: None)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED)
    response = api_client.post(EXPORT)  # a new request, since the last one finished
    assert response.json()["id"] != str(job.id)
    job.refresh_from_db()
    from accounts.api.serializers import ExportJobSerializer

    assert ExportJobSerializer(job).data["output_url"].startswith("/media/")


def test_delete_me_needs_the_password(api_client, user, photo):
    for body in ({}, {"password": "wrong"}):
        response = api_client.delete(ME, body)
        assert response.status_code == 400
        assert "password" in response.json()["error"]["fields"]
    assert User.objects.filter(pk=user.pk).exists()
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_delete_me_deletes_the_account(
    api_client, user, password, photo, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(ME, {"password": password})
    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert api_client.get(PROFILE).status_code == 401


def test_other_user_is_untouched_by_my_deletion(api_client, password, other_user, broker):
    theirs = PhotoFactory(owner=other_user)
    assert api_client.delete(ME, {"password": password}).status_code == 204
    assert Photo.objects.filter(pk=theirs.pk).exists()


def test_anonymous_cannot_export_or_delete():
    client = APIClient()
    assert client.post(EXPORT).status_code == 401
    assert client.delete(ME, {"password": "x"}).status_code == 401


def test_new_endpoints_are_documented(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    assert "202" in schema["paths"]["/api/v1/me/export/"]["post"]["responses"]
    deletion = schema["paths"]["/api/v1/me/"]["delete"]
    assert {"204", "400"} <= set(deletion["responses"])
    assert "requestBody" in deletion
