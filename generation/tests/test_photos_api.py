"""API v1 photos: upload rules, error shapes, owner scoping and deletion."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from rest_framework.throttling import ScopedRateThrottle

from core.tests.images import bomb_png, image_bytes, unique_jpeg, upload
from generation.models import Photo, Result
from generation.tests.factories import PhotoFactory, ResultFactory

PHOTOS = "/api/v1/photos/"


def detail(photo) -> str:
    return f"{PHOTOS}{photo.pk}/"


def post_images(client, *files):
    return client.post(PHOTOS, {"image": list(files)}, format="multipart")


def test_upload_returns_201_with_the_photo(api_client, user):
    response = post_images(api_client, upload(unique_jpeg((80, 40))))
    assert response.status_code == 201, response.content
    [body] = response.json()
    photo = Photo.objects.get(owner=user)
    assert body["id"] == str(photo.id)
    assert (body["width"], body["height"], body["original_available"]) == (80, 40, True)
    assert set(body) == {
        "id",
        "width",
        "height",
        "url",
        "thumbnail_url",
        "expires_at",
        "created",
        "original_available",
    }


def test_urls_serve_the_clean_image_and_thumbnail(api_client):
    body = post_images(api_client, upload(unique_jpeg((80, 40)))).json()[0]
    assert body["url"].startswith("http://testserver/media/")
    original = api_client.get(body["url"])
    thumbnail = api_client.get(body["thumbnail_url"])
    assert Image.open(io.BytesIO(b"".join(original.streaming_content))).format == "JPEG"
    assert Image.open(io.BytesIO(b"".join(thumbnail.streaming_content))).format == "WEBP"


def test_heic_upload_is_stored_as_jpeg(api_client, user):
    data = image_bytes((48, 32), format="HEIF")
    response = post_images(
        api_client, upload(data, name="IMG_0001.HEIC", content_type="image/heic")
    )
    assert response.status_code == 201, response.content
    photo = Photo.objects.get(owner=user)
    assert photo.original.name.endswith(".jpg")
    assert (photo.width, photo.height, photo.content_type) == (48, 32, "image/jpeg")


def test_several_files_in_one_request(api_client, user):
    response = post_images(api_client, upload(unique_jpeg()), upload(unique_jpeg()))
    assert response.status_code == 201
    assert len(response.json()) == 2
    assert Photo.objects.filter(owner=user).count() == 2


def test_uploading_the_same_file_again_returns_the_existing_photo(api_client, user):
    data = unique_jpeg()
    first = post_images(api_client, upload(data)).json()[0]
    again = post_images(api_client, upload(data, name="copy.jpg"))
    assert again.status_code == 201
    assert again.json()[0]["id"] == first["id"]
    assert Photo.objects.filter(owner=user).count() == 1


def _truncated() -> bytes:
    data = image_bytes((300, 200))
    return data[: len(data) // 2]


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (16, 16), color) for color in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 3
    return buffer.getvalue()


BAD_UPLOADS = {
    "not an image": (lambda: b"%PDF-1.4 definitely not a photo", "report.pdf", 400),
    "text named .jpg": (lambda: b"just some text\n" * 10, "photo.jpg", 400),
    "zero bytes": (lambda: b"", "empty.jpg", 400),
    "truncated": (_truncated, "cut.jpg", 400),
    "animated gif": (_animated_gif, "anim.gif", 400),
    "too many bytes": (lambda: image_bytes((400, 400)), "big.jpg", 413),
    "too many pixels": (lambda: image_bytes((300, 200)), "wide.jpg", 400),
    "decompression bomb": (lambda: bomb_png(40_000, 40_000), "bomb.png", 400),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_upload_gets_a_clear_error_and_changes_nothing(
    stored_files, api_client, settings, case
):
    make_data, name, status = BAD_UPLOADS[case]
    if case == "too many bytes":
        settings.MAX_UPLOAD_BYTES = 1000
    if case == "too many pixels":
        settings.MAX_UPLOAD_PIXELS = 50_000
    response = post_images(api_client, upload(make_data(), name=name))
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["message"] and error["code"] != "error"
    assert error["fields"]["image"] == [error["message"]]
    assert Photo.objects.count() == 0
    assert stored_files() == []


def test_gif_error_says_gif_is_not_supported(api_client):
    response = post_images(api_client, upload(image_bytes(format="GIF"), name="cat.gif"))
    assert response.json()["error"]["message"].startswith("GIF is not supported")


def test_bad_file_in_a_batch_rejects_the_whole_request(stored_files, api_client, settings):
    response = post_images(
        api_client, upload(unique_jpeg()), upload(b"oops", name="b.jpg"), upload(unique_jpeg())
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("File 2: ")
    assert Photo.objects.count() == 0
    assert stored_files() == []


def test_missing_image_field_is_a_400(api_client):
    response = api_client.post(PHOTOS, {"other": "x"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["image"]


def test_list_shows_only_my_photos(api_client, user, other_user):
    mine = PhotoFactory(owner=user)
    PhotoFactory(owner=other_user)
    response = api_client.get(PHOTOS)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(mine.id)]


def test_list_is_paginated(api_client, user):
    for _ in range(3):
        PhotoFactory(owner=user)
    body = api_client.get(PHOTOS, {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["next"] and body["previous"] is None


def test_other_users_photo_is_404_for_get_and_delete(
    stored_files, other_api_client, photo, settings
):
    assert other_api_client.get(detail(photo)).status_code == 404
    response = other_api_client.delete(detail(photo))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert len(stored_files()) == 2


def test_get_my_photo(api_client, photo):
    response = api_client.get(detail(photo))
    assert response.status_code == 200
    assert response.json()["id"] == str(photo.id)


def test_delete_removes_photo_results_and_files(
    stored_files, api_client, photo, settings, django_capture_on_commit_callbacks
):
    result = ResultFactory(photo=photo)
    assert len(stored_files("users/")) == 4
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(detail(photo))
    assert response.status_code == 204
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not Result.objects.filter(pk=result.pk).exists()
    assert stored_files("users/") == []


def test_purged_original_shows_as_unavailable(api_client, photo):
    Photo.objects.filter(pk=photo.pk).update(original="")
    body = api_client.get(detail(photo)).json()
    assert body["original_available"] is False
    assert body["url"] is None
    assert body["thumbnail_url"]


def test_anonymous_requests_are_refused(client, photo):
    assert client.get(PHOTOS).status_code == 401
    assert client.get(detail(photo)).status_code == 401
    assert client.post(PHOTOS, {"image": upload(unique_jpeg())}).status_code == 401


def test_uploads_are_throttled_but_reading_is_not(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"uploads": "2/hour"})
    for _ in range(2):
        assert post_images(api_client, upload(unique_jpeg())).status_code == 201
    throttled = post_images(api_client, upload(unique_jpeg()))
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert Photo.objects.count() == 2
    for _ in range(3):
        assert api_client.get(PHOTOS).status_code == 200


def test_upload_endpoint_is_documented_as_multipart(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    post = schema["paths"]["/api/v1/photos/"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert {"201", "400", "413", "429"} <= set(post["responses"])
    created = post["responses"]["201"]["content"]["application/json"]["schema"]
    assert created["type"] == "array"  # a plain list, not a page
    assert [parameter["name"] for parameter in post["parameters"]] == ["Idempotency-Key"]
    assert {"204", "404", "409"} <= set(
        schema["paths"]["/api/v1/photos/{id}/"]["delete"]["responses"]
    )
