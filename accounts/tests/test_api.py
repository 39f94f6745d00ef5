"""API v1 for accounts: tokens, the profile, export and account deletion."""

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from generation.models import Photo
from generation.tests.factories import PhotoFactory
from jobs.models import Job, JobKind, JobStatus

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
PROFILE = "/api/v1/me/profile/"
EXPORT = "/api/v1/me/export/"


def test_token_for_good_credentials(user, password):
    response = APIClient().post(TOKEN, {"username": user.username, "password": password})
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=user).key


def test_token_for_bad_credentials_is_400_with_the_error_shape(user):
    response = APIClient().post(TOKEN, {"username": user.username, "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_login"


def test_revoking_the_token_logs_the_client_out(api_client, user):
    assert api_client.delete(TOKEN).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert api_client.get(PROFILE).status_code == 401


def test_profile_read_and_update(api_client, user):
    assert api_client.get(PROFILE).json()["keep_originals_days"] == 0
    response = api_client.patch(PROFILE, {"keep_originals_days": 30, "default_strength": 0.5})
    assert response.status_code == 200
    user.profile.refresh_from_db()
    assert (user.profile.keep_originals_days, user.profile.default_strength) == (30, 0.5)


def test_profile_rejects_bad_values(api_client):
    response = api_client.patch(PROFILE, {"default_strength": 9})
    assert response.status_code == 400
    assert "default_strength" in response.json()["error"]["fields"]


def test_export_returns_202_with_the_job(api_client, user):
    response = api_client.post(EXPORT)
    assert response.status_code == 202
    body = response.json()
    job = Job.objects.get(owner=user, kind=JobKind.EXPORT)
    assert body["id"] == str(job.id)
    assert (body["status"], body["progress"], body["output_url"]) == ("queued", 0, None)
    assert api_client.post(EXPORT).json()["id"] == str(job.id)


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
