"""Idempotency-Key on creating writes: a retry replays the first answer and creates nothing."""

import pytest

from accounts.tests.fixtures import token_client
from core.tests.images import unique_jpeg, upload
from generation.models import Photo
from generation.tests.factories import PhotoFactory
from jobs.models import Job, JobKind

pytestmark = pytest.mark.usefixtures("sent")


@pytest.fixture
def job_body(user, catalog_look) -> dict:
    photo = PhotoFactory(owner=user)
    return {"kind": "stylize", "photos": [str(photo.id)], "look": catalog_look.slug}


def test_the_same_key_and_body_replay_the_first_job(api_client, job_body):
    first = api_client.post("/api/v1/jobs/", job_body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api_client.post("/api/v1/jobs/", job_body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Job.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422(api_client, job_body):
    api_client.post("/api/v1/jobs/", job_body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = {**job_body, "strength": 0.5}

    response = api_client.post("/api/v1/jobs/", other, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Job.objects.count() == 1


def test_keys_belong_to_their_owner(api_client, other_user, job_body):
    api_client.post("/api/v1/jobs/", job_body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    response = token_client(other_user).post(
        "/api/v1/jobs/", job_body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert response.status_code == 400  # their photo is unknown to the other user
    assert Job.objects.count() == 1


def test_an_error_is_not_kept_so_the_fixed_request_can_use_the_key(api_client, job_body):
    bad = {**job_body, "look": "nope"}
    refused = api_client.post("/api/v1/jobs/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    fixed = api_client.post("/api/v1/jobs/", job_body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert (refused.status_code, fixed.status_code) == (404, 202)
    assert Job.objects.count() == 1


def test_a_repeated_upload_creates_one_photo(api_client):
    image = unique_jpeg()

    answers = [
        api_client.post(
            "/api/v1/photos/",
            {"image": upload(image)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="u1",
        )
        for _ in range(2)
    ]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[1].json() == answers[0].json()
    assert Photo.objects.count() == 1


def test_a_repeated_export_replays_the_first_instead_of_a_429(api_client):
    answers = [api_client.post("/api/v1/me/export/", HTTP_IDEMPOTENCY_KEY="e1") for _ in range(2)]

    assert [answer.status_code for answer in answers] == [202, 202]
    assert Job.objects.filter(kind=JobKind.EXPORT).count() == 1
