"""Photos on real HTTP S3 (moto): stored under generated keys, deleted without leftovers."""

from urllib.parse import parse_qs, urlparse

from core.tests.images import unique_jpeg, upload
from generation import selectors
from generation.tests.factories import ResultFactory


def test_upload_then_delete_leaves_nothing_in_the_bucket(
    s3_bucket, user, api_client, django_capture_on_commit_callbacks
):
    response = api_client.post(
        "/api/v1/photos/", {"image": [upload(unique_jpeg(), name="me.jpg")]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()[0]
    prefix = f"users/{user.pk}/"
    assert sorted(s3_bucket.keys(prefix)) == [
        f"{prefix}photos/{body['id']}.jpg",
        f"{prefix}thumbs/{body['id']}.webp",
    ]
    query = parse_qs(urlparse(body["url"]).query)
    assert "X-Amz-Signature" in query
    assert 600 <= int(query["X-Amz-Expires"][0]) <= 1200  # signed per window (core.storage)

    photo = selectors.photos_for(user).get()
    ResultFactory(photo=photo)
    assert len(s3_bucket.keys(prefix)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.delete(f"/api/v1/photos/{photo.id}/").status_code == 204
    assert s3_bucket.keys(prefix) == []


def test_rejected_upload_writes_nothing_to_the_bucket(s3_bucket, api_client):
    response = api_client.post(
        "/api/v1/photos/",
        {"image": [upload(b"GIF89a" + bytes(40), name="x.gif")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert s3_bucket.keys() == []
