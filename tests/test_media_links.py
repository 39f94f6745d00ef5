"""Private media links: opaque tokens, the same link for a whole window with its `expires_at`,
JSON 403 "expired" for an expired or changed link, 404 for a file that is gone."""

import base64
from datetime import datetime

import pytest
from django.core.files.storage import default_storage

from core import storage
from generation.tests.factories import PhotoFactory, ResultFactory

pytestmark = pytest.mark.django_db


def token_of(url: str) -> str:
    return url.split("/media/", 1)[1].split("?", 1)[0]


def test_tokens_show_nothing_of_the_name_or_the_owner(api_client, user):
    result = ResultFactory(photo=PhotoFactory(owner=user))

    body = api_client.get(f"/api/v1/results/{result.id}/").json()
    token = token_of(body["image_url"])
    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))

    assert b"users" not in decoded and b"results" not in decoded
    assert "users" not in body["image_url"]
    assert storage.open_token(token)[0] == result.image.name


def test_the_same_link_repeats_within_a_window_and_says_when_it_expires(
    api_client, user, monkeypatch, settings
):
    settings.MEDIA_URL_EXPIRY = 600
    photo = PhotoFactory(owner=user)
    clock = [6000.0]
    monkeypatch.setattr(storage, "current_time", lambda: clock[0])

    def fetch(at: float) -> dict:
        clock[0] = at
        return api_client.get(f"/api/v1/photos/{photo.id}/").json()

    first, second, next_window = fetch(6000.0), fetch(6599.0), fetch(6600.0)

    assert first["url"] == second["url"]
    assert next_window["url"] != first["url"]
    assert datetime.fromisoformat(first["expires_at"]).timestamp() == 7200


def test_an_expired_link_is_a_json_403_that_says_expired(client, user, monkeypatch):
    photo = PhotoFactory(owner=user)
    url = photo.original.url
    expired = storage.link_expiry() + 1
    monkeypatch.setattr(storage, "current_time", lambda: expired)

    response = client.get(url)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "expired"


def test_a_changed_link_is_a_json_403_that_says_expired(client, user):
    url = PhotoFactory(owner=user).original.url
    token = token_of(url)
    changed = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")

    response = client.get(url.replace(token, changed))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "expired"


def test_a_deleted_file_is_a_404_not_an_expiry(client, user):
    photo = PhotoFactory(owner=user)
    url = photo.original.url
    default_storage.delete(photo.original.name)

    response = client.get(url)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_valid_link_serves_the_file_cacheable_until_it_expires(client, user):
    url = PhotoFactory(owner=user).original.url

    response = client.get(url)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert 0 < int(response["Cache-Control"].split("max-age=")[1]) <= 2 * 600


def test_presigned_s3_links_repeat_within_a_window(s3_bucket, settings):
    from django.core.files.base import ContentFile

    name = default_storage.save("users/1/photos/a.jpg", ContentFile(b"x"))

    assert default_storage.url(name) == default_storage.url(name)
    assert "X-Amz-Signature=" in default_storage.url(name)
