"""Account deletion and export on real HTTP S3 (moto): nothing of the user is left behind."""

import io
import zipfile

from accounts import export, services
from generation.tests.factories import PersonalAdapterFactory, PhotoFactory, ResultFactory
from jobs.models import Job, JobKind, JobStatus


def test_delete_account_empties_the_users_prefix(
    s3_bucket,
    broker,
    user,
    other_user,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    photo = PhotoFactory(owner=user)
    result = ResultFactory(photo=photo)
    PersonalAdapterFactory(owner=user, look=result.look)
    export_job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    export.build_export(export_job, lambda fraction: None)
    theirs = PhotoFactory(owner=other_user)
    prefix = f"users/{user.pk}/"
    folders = {key.split("/")[2] for key in s3_bucket.keys(prefix)}
    assert folders == {"photos", "thumbs", "results", "adapters", "exports"}
    everything_else = sorted(set(s3_bucket.keys("")) - set(s3_bucket.keys(prefix)))

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(user)

    assert s3_bucket.keys(prefix) == []
    assert sorted(s3_bucket.keys("")) == everything_else  # the whole bucket, listed again
    assert sorted(s3_bucket.keys(f"users/{other_user.pk}/")) == sorted(
        [theirs.original.name, theirs.thumbnail.name]
    )


def test_export_on_s3_holds_the_originals(s3_bucket, user):
    photo = PhotoFactory(owner=user)
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    export.build_export(job, lambda fraction: None)
    job.refresh_from_db()
    assert job.output.name in s3_bucket.keys(f"users/{user.pk}/exports/")
    body = s3_bucket.client.get_object(Bucket=s3_bucket.name, Key=job.output.name)["Body"].read()
    assert f"photos/{photo.id}.jpg" in zipfile.ZipFile(io.BytesIO(body)).namelist()
