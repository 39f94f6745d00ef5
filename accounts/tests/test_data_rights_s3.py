"""Account deletion and export on real HTTP S3 (moto): nothing of the user is left behind."""

import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts import data_rights, tasks
from generation.models import Job, JobKind, JobStatus, PersonalAdapter


def test_delete_account_empties_the_users_prefix(
    s3_bucket,
    user,
    other_user,
    make_photo,
    make_result,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(tasks.delete_user_files, "apply_async", lambda *args, **options: None)
    photo = make_photo(user)
    result = make_result(photo)
    adapter_file = default_storage.save(
        f"users/{user.pk}/adapters/adapter.safetensors", ContentFile(b"weights")
    )
    PersonalAdapter.objects.create(
        owner=user, look=result.look, look_version=result.look_version, file=adapter_file
    )
    export = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    data_rights.build_export(export, lambda fraction: None)
    theirs = make_photo(other_user)
    prefix = f"users/{user.pk}/"
    folders = {key.split("/")[2] for key in s3_bucket.keys(prefix)}
    assert folders == {"photos", "thumbs", "results", "adapters", "exports"}
    everything_else = sorted(set(s3_bucket.keys("")) - set(s3_bucket.keys(prefix)))

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.delete_account(user)

    assert s3_bucket.keys(prefix) == []
    assert sorted(s3_bucket.keys("")) == everything_else  # the whole bucket, listed again
    assert sorted(s3_bucket.keys(f"users/{other_user.pk}/")) == sorted(
        [theirs.original.name, theirs.thumbnail.name]
    )


def test_export_on_s3_holds_the_originals(s3_bucket, user, make_photo):
    photo = make_photo(user)
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    data_rights.build_export(job, lambda fraction: None)
    job.refresh_from_db()
    assert job.output.name in s3_bucket.keys(f"users/{user.pk}/exports/")
    body = s3_bucket.client.get_object(Bucket=s3_bucket.name, Key=job.output.name)["Body"].read()
    assert f"photos/{photo.id}.jpg" in zipfile.ZipFile(io.BytesIO(body)).namelist()
