"""The jobs API: create (202), list, detail, cancel; scoping, errors and throttling."""

import pytest
from django.core.cache import cache

from generation.models import PersonalAdapter
from generation.tests.factories import PhotoFactory, ResultFactory
from jobs.models import Job, JobStatus
from jobs.tests.factories import JobFactory
from styles.tests.factories import LookFactory

JOBS = "/api/v1/jobs/"


pytestmark = pytest.mark.usefixtures("sent")  # jobs are queued without a broker


@pytest.fixture
def photo_ids(user):
    return [str(PhotoFactory(owner=user).id) for _ in range(3)]


def test_create_stylize_job_returns_202_and_the_job(api_client, photo_ids, catalog_look, user):
    response = api_client.post(
        JOBS,
        {"kind": "stylize", "photos": photo_ids, "look": catalog_look.slug, "strength": 0.8},
        format="json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    job = Job.objects.get(id=body["id"])
    assert job.owner == user
    assert body["status"] == "queued"
    assert body["kind"] == "stylize"
    assert body["strength"] == 0.8
    assert body["look"] == catalog_look.slug
    assert body["look_version"] == 1
    assert sorted(body["photos"]) == sorted(photo_ids)
    assert body["results"] == {"count": 0}
    assert body["output_url"] is None


def test_create_adapter_job(api_client, user, catalog_look):
    ResultFactory(owner=user, look=catalog_look, rating=1)
    response = api_client.post(
        JOBS, {"kind": "train_adapter", "look": catalog_look.slug}, format="json"
    )
    assert response.status_code == 202, response.content
    adapter = PersonalAdapter.objects.get()
    assert response.json()["adapter"] == str(adapter.id)


@pytest.mark.parametrize(
    "payload, status, code, message",
    [
        ({"strength": 2}, 400, "invalid", "Strength must be a number from 0 to 1.5."),
        ({"look": "missing"}, 404, "not_found", "No such look."),
        ({"photos": []}, 400, "invalid", "Choose at least one photo."),
        ({"kind": "export"}, 400, "invalid", "Some fields are invalid."),
    ],
)
def test_bad_requests_get_the_error_shape(
    api_client, photo_ids, catalog_look, payload, status, code, message
):
    data = {"kind": "stylize", "photos": photo_ids, "look": catalog_look.slug, **payload}
    response = api_client.post(JOBS, data, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"] == message
    assert not Job.objects.exists()


def test_draft_looks_too_many_photos_and_adapters_without_signal_are_refused(
    api_client, user, photo_ids, catalog_look
):
    draft = LookFactory()
    user.quota_photos_per_job = 2
    user.save()
    requests = [
        ({"kind": "stylize", "photos": photo_ids[:1], "look": draft.slug}, 404, "No such look."),
        (
            {
                "kind": "stylize",
                "photos": photo_ids[:1],
                "look": catalog_look.slug,
                "strength": -0.1,
            },
            400,
            "Strength must be a number from 0 to 1.5.",
        ),
        (
            {"kind": "stylize", "photos": photo_ids, "look": catalog_look.slug},
            429,
            "A job can take at most 2 photos; you chose 3.",
        ),
        (
            {"kind": "train_adapter", "look": catalog_look.slug},
            400,
            "Nothing to learn from yet: edit, rate or compare a few results of this look first.",
        ),
    ]
    for data, status, message in requests:
        response = api_client.post(JOBS, data, format="json")
        assert (response.status_code, response.json()["error"]["message"]) == (status, message)
    assert not Job.objects.exists() and not PersonalAdapter.objects.exists()


def test_another_users_photo_ids_are_reported_unknown(
    api_client, photo_ids, catalog_look, other_user
):
    theirs = str(PhotoFactory(owner=other_user).id)
    response = api_client.post(
        JOBS, {"kind": "stylize", "photos": [*photo_ids, theirs], "look": catalog_look.slug}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"Unknown photos: {theirs}."
    assert response.json()["error"]["fields"]["photos"] == [f"Unknown photos: {theirs}."]


def test_quota_is_a_429(api_client, photo_ids, catalog_look, user):
    user.quota_concurrent_jobs = 1
    user.save()
    JobFactory(owner=user, status=JobStatus.RUNNING)
    response = api_client.post(
        JOBS, {"kind": "stylize", "photos": photo_ids, "look": catalog_look.slug}
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "quota_exceeded"
    assert "1 job queued or running" in response.json()["error"]["message"]


def test_job_creation_is_throttled(api_client, photo_ids, catalog_look, user, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**ScopedRateThrottle.THROTTLE_RATES, "jobs": "2/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    user.quota_concurrent_jobs = 10
    user.save()
    data = {"kind": "stylize", "photos": photo_ids, "look": catalog_look.slug}
    statuses = [api_client.post(JOBS, data).status_code for _ in range(3)]
    assert statuses == [202, 202, 429]
    listed = api_client.get(JOBS)
    assert listed.status_code == 200, listed.content


def test_list_and_detail_are_scoped_to_the_owner(api_client, other_api_client, user, other_user):
    mine = JobFactory(owner=user)
    theirs = JobFactory(owner=other_user)
    listed = api_client.get(JOBS).json()
    assert [job["id"] for job in listed["results"]] == [str(mine.id)]
    assert api_client.get(f"{JOBS}{mine.id}/").status_code == 200
    assert api_client.get(f"{JOBS}{theirs.id}/").status_code == 404
    assert api_client.post(f"{JOBS}{theirs.id}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == JobStatus.QUEUED
    assert other_api_client.get(f"{JOBS}{theirs.id}/").status_code == 200


def test_detail_shows_progress_error_and_result_count(api_client, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look)
    job = result.job
    job.error = ""
    job.save()
    body = api_client.get(f"{JOBS}{job.id}/").json()
    assert body["results"] == {"count": 1}
    assert body["status"] == "succeeded"
    assert body["progress"] == 0


def test_export_job_links_its_output(api_client, user):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save(f"users/{user.id}/exports/x.zip", ContentFile(b"zip"))
    job = JobFactory(owner=user, kind="export", status=JobStatus.SUCCEEDED, output=name)
    url = api_client.get(f"{JOBS}{job.id}/").json()["output_url"]
    assert url.startswith("http://testserver/media/")
    assert api_client.get(url).status_code == 200


def test_cancel_then_cancel_again_is_409(api_client, user):
    job = JobFactory(owner=user, status=JobStatus.RUNNING)
    first = api_client.post(f"{JOBS}{job.id}/cancel/")
    assert first.status_code == 200
    assert first.json()["status"] == "cancelled"
    second = api_client.post(f"{JOBS}{job.id}/cancel/")
    assert second.status_code == 409
    assert second.json()["error"] == {
        "code": "conflict",
        "message": "This job is already cancelled.",
        "fields": {},
    }


def test_anonymous_gets_401(db):
    from rest_framework.test import APIClient

    assert APIClient().get(JOBS).status_code == 401
