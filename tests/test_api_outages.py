"""Outages answer 503 with the JSON error shape and Retry-After, never a 500; a job that was
saved while the broker was down is answered 202 and runs once the broker is back.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from config.celery import app
from generation import selectors
from generation.tests.factories import PhotoFactory
from jobs import services as job_services
from jobs.models import Job, JobStatus
from jobs.tests.factories import JobFactory

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def broker_down(*args, **kwargs):
    raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def job_request(user, catalog_look) -> dict:
    photo = PhotoFactory(owner=user)
    return {"kind": "stylize", "photos": [str(photo.id)], "look": catalog_look.slug}


@pytest.mark.django_db(transaction=True)
def test_a_job_created_while_the_broker_is_down_is_a_202_and_the_reaper_resends_it(
    api_client, job_request, monkeypatch, settings, broker
):
    with monkeypatch.context() as outage:
        outage.setattr(app, "send_task", broker_down)
        response = api_client.post("/api/v1/jobs/", job_request, format="json")

    assert response.status_code == 202, response.content
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    assert broker.job_ids == []

    stale = timezone.now() - settings.JOB_STALE_AFTER - timedelta(seconds=1)
    Job.objects.filter(id=job.id).update(enqueued_at=stale)
    assert job_services.reap_stale_jobs()["resent"] == 1
    assert broker.job_ids == [str(job.id)]


@pytest.mark.django_db
def test_redis_down_makes_sign_in_a_503_with_retry_after(settings, user, password):
    from rest_framework.test import APIClient

    settings.CACHES = UNREACHABLE_REDIS

    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": password}, format="json"
    )

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_redis_down_lets_throttled_writes_through_to_the_database_quotas(
    settings, api_client, job_request, sent
):
    settings.CACHES = UNREACHABLE_REDIS

    response = api_client.post("/api/v1/jobs/", job_request, format="json")

    assert response.status_code == 202, response.content


@pytest.mark.django_db
def test_an_unreachable_database_is_a_503(api_client, monkeypatch):
    from django.db import OperationalError

    def database_down(user):
        raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")

    monkeypatch.setattr(selectors, "jobs_for", database_down)

    response = api_client.get("/api/v1/jobs/")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert response["Retry-After"]


@pytest.mark.django_db
def test_every_quota_429_says_when_to_come_back(api_client, user, job_request, sent):
    user.quota_concurrent_jobs = 1
    user.save()
    JobFactory(owner=user, status=JobStatus.RUNNING)

    response = api_client.post("/api/v1/jobs/", job_request, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.worker
def test_a_job_saved_during_a_broker_outage_runs_once_when_it_is_back(
    worker_factory, make_ready_look, api_client, user, monkeypatch, settings
):
    from generation.models import Result
    from jobs.tests.fixtures import wait_for_job

    look = make_ready_look()
    photo = PhotoFactory(owner=user)
    body = {"kind": "stylize", "photos": [str(photo.id)], "look": look.slug}
    with monkeypatch.context() as outage:
        outage.setattr(app, "send_task", broker_down)
        response = api_client.post("/api/v1/jobs/", body, format="json")
    assert response.status_code == 202, response.content

    worker_factory()
    stale = timezone.now() - settings.JOB_STALE_AFTER - timedelta(seconds=1)
    Job.objects.filter(id=response.json()["id"]).update(enqueued_at=stale)
    assert job_services.reap_stale_jobs()["resent"] == 1

    job = wait_for_job(response.json()["id"])
    assert (job.status, job.error) == (JobStatus.SUCCEEDED, "")
    assert Job.objects.count() == 1
    assert Result.objects.filter(photo=photo).count() == 1
