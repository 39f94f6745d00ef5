"""End to end with real worker processes, the configured broker and (first test) S3.

The database is the truth: tests poll job rows with a bounded deadline, never a fixed sleep.
"""

import io
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from generation import services
from generation.models import Result
from generation.tests.factories import PhotoFactory
from jobs import services as job_services
from jobs.models import Job, JobStatus
from jobs.tests.fixtures import wait_for_job

pytestmark = pytest.mark.worker


def jpeg(size: tuple[int, int], shade: int) -> io.BytesIO:
    image = Image.new("RGB", size, (shade, 140, 90))
    image.paste((240, 240, 235), (0, 0, size[0] // 3, size[1]))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=90)
    data.name = f"photo-{shade}.jpg"
    data.seek(0)
    return data


def test_upload_stylize_download_and_rate_on_s3(
    s3_bucket, worker_factory, make_ready_look, api_client
):
    look = make_ready_look()
    worker_factory()
    uploaded = api_client.post(
        "/api/v1/photos/", {"image": jpeg((320, 240), 60)}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.content
    photo_id = uploaded.json()[0]["id"]

    created = api_client.post(
        "/api/v1/jobs/",
        {"kind": "stylize", "photos": [photo_id], "look": look.slug, "strength": 0.8},
        format="json",
    )
    assert created.status_code == 202, created.content
    job = wait_for_job(created.json()["id"])
    assert (job.status, job.error) == (JobStatus.SUCCEEDED, "")

    body = api_client.get(f"/api/v1/jobs/{job.id}/").json()
    assert (body["status"], body["progress"], body["results"]) == ("succeeded", 100, {"count": 1})
    result = Result.objects.get(job=job)
    keys = s3_bucket.keys(f"users/{job.owner_id}/")
    assert result.image.name in keys
    assert result.thumbnail.name in keys

    detail = api_client.get(f"/api/v1/results/{result.id}/").json()
    assert detail["image_url"].startswith(s3_bucket.endpoint)
    assert "X-Amz-Signature=" in detail["image_url"]
    with urllib.request.urlopen(detail["image_url"], timeout=10) as response:
        downloaded = Image.open(io.BytesIO(response.read()))
    assert (downloaded.format, downloaded.size) == ("JPEG", (320, 240))

    rated = api_client.post(
        f"/api/v1/results/{result.id}/feedback/", {"rating": 1, "favourite": True}, format="json"
    )
    assert rated.status_code == 200
    result.refresh_from_db()
    assert (result.rating, result.favourite) == (1, True)


def test_a_killed_worker_s_job_is_reaped_and_finishes_exactly_once(
    worker_factory, make_ready_look, user, settings
):
    look = make_ready_look()
    profile = user.preference_profile()
    profile.result_long_side = 0
    profile.save()
    photos = [PhotoFactory(owner=user, size=(1600, 1200)) for _ in range(6)]
    first = worker_factory()
    job = services.create_stylize_job(
        user, photo_ids=[str(photo.id) for photo in photos], look_slug=look.slug
    )
    wait_for_job(job.id, lambda job: job.status == JobStatus.RUNNING and job.progress > 0, 60)
    first.kill()
    assert Job.objects.get(id=job.id).status == JobStatus.RUNNING

    settings.JOB_STALE_AFTER = timedelta(seconds=3)
    worker_factory(JOB_STALE_AFTER_SECONDS="3")
    wait_for_job(
        job.id, lambda job: timezone.now() - job.heartbeat_at > settings.JOB_STALE_AFTER, 30
    )
    assert job_services.reap_stale_jobs()["requeued"] == 1

    job = wait_for_job(job.id)
    assert (job.status, job.attempts, job.error) == (JobStatus.SUCCEEDED, 2, "")
    assert Result.objects.filter(job=job).count() == len(photos)
    assert Result.objects.filter(job=job).values("photo").distinct().count() == len(photos)
