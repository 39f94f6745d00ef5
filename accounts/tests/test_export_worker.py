"""The export job end to end: a real worker process picks it up from the broker and builds it."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from accounts import export, services
from generation.tests.factories import PhotoFactory
from jobs.models import JobStatus
from jobs.tests.fixtures import wait_for_job

pytestmark = pytest.mark.worker


def test_worker_builds_the_export(celery_worker_process, user):
    photo = PhotoFactory(owner=user)
    job = services.request_export(user)

    job = wait_for_job(job.id)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.progress, job.output.name) == (100, export.export_name(job))
    with default_storage.open(job.output.name) as stored:
        members = zipfile.ZipFile(io.BytesIO(stored.read())).namelist()
    assert sorted(members) == ["data.json", f"photos/{photo.id}.jpg"]
