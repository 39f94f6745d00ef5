"""The export job end to end: a real worker process picks it up from the broker and builds it."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from accounts import data_rights
from generation.models import JobStatus
from generation.tests.fixtures import wait_for_job

pytestmark = pytest.mark.worker


def test_worker_builds_the_export(celery_worker_process, user, make_photo):
    photo = make_photo(user)
    job = data_rights.request_export(user)

    job = wait_for_job(job.id)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.progress, job.output.name) == (100, data_rights.export_name(job))
    with default_storage.open(job.output.name) as stored:
        members = zipfile.ZipFile(io.BytesIO(stored.read())).namelist()
    assert sorted(members) == ["data.json", f"photos/{photo.id}.jpg"]
