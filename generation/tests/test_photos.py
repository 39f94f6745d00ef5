"""Photo services: storing, deduplicating, cleaning up on failure, and deleting with results."""

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError

from core import images
from core.errors import Conflict, ServiceError
from core.tests.images import image_bytes, unique_jpeg, upload
from generation import selectors, services
from generation.models import Photo, Result
from generation.tests.factories import PhotoFactory, ResultFactory
from jobs.models import Job, JobKind, JobStatus


def test_upload_stores_original_and_thumbnail_under_generated_names(stored_files, user, settings):
    photo, created = services.upload_photo(user, upload(unique_jpeg((90, 60)), name="holiday.jpg"))
    assert created
    assert photo.original.name == f"users/{user.pk}/photos/{photo.id}.jpg"
    assert photo.thumbnail.name == f"users/{user.pk}/thumbs/{photo.id}.webp"
    assert stored_files() == sorted([photo.original.name, photo.thumbnail.name])
    assert "holiday" not in photo.original.name
    assert (photo.width, photo.height, photo.content_type) == (90, 60, "image/jpeg")
    assert photo.byte_size == default_storage.size(photo.original.name)


def test_transparent_upload_is_stored_as_png(user):
    data = image_bytes(mode="RGBA", color=(1, 2, 3, 50), format="PNG")
    photo, _ = services.upload_photo(user, upload(data, name="cut-out.png"))
    assert photo.original.name.endswith(".png")
    assert photo.content_type == "image/png"


def test_same_file_twice_returns_the_same_photo(stored_files, user, settings):
    data = unique_jpeg()
    first, first_created = services.upload_photo(user, upload(data))
    again, again_created = services.upload_photo(user, upload(data, name="renamed.jpg"))
    assert (first_created, again_created) == (True, False)
    assert again.pk == first.pk
    assert Photo.objects.count() == 1
    assert len(stored_files()) == 2


def test_same_file_for_two_users_makes_two_photos(user, other_user):
    data = unique_jpeg()
    mine, _ = services.upload_photo(user, upload(data))
    theirs, created = services.upload_photo(other_user, upload(data))
    assert created and mine.pk != theirs.pk


def test_duplicate_in_one_batch_is_stored_once(user):
    data = unique_jpeg()
    (first, created), (second, second_created) = services.upload_photos(
        user, [upload(data), upload(data)]
    )
    assert (created, second_created) == (True, False)
    assert first.pk == second.pk
    assert Photo.objects.count() == 1


def test_losing_the_unique_race_returns_the_winner_and_removes_its_files(
    stored_files, user, settings
):
    """Two requests that both passed the dedupe check: the second hits the unique constraint."""
    processed = images.process_upload(unique_jpeg(), max_pixels=settings.MAX_UPLOAD_PIXELS)
    winner, created = services._store(user, processed)
    loser, loser_created = services._store(user, processed)
    assert created and not loser_created
    assert loser.pk == winner.pk
    assert stored_files() == sorted([winner.original.name, winner.thumbnail.name])


def test_failed_database_write_leaves_no_files(stored_files, user, settings, monkeypatch):
    def broken_create(**fields):
        raise DatabaseError("database went away")

    monkeypatch.setattr(Photo.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        services.upload_photo(user, upload(unique_jpeg()))
    assert stored_files() == []


def test_bad_file_in_a_batch_stores_nothing_and_names_the_file(stored_files, user, settings):
    files = [upload(unique_jpeg()), upload(b"not an image", name="notes.jpg")]
    with pytest.raises(ServiceError) as caught:
        services.upload_photos(user, files)
    assert caught.value.message.startswith("File 2: ")
    assert caught.value.fields == {"image": [caught.value.message]}
    assert Photo.objects.count() == 0
    assert stored_files() == []


def test_too_many_files_at_once_is_refused(user):
    files = [upload(unique_jpeg()) for _ in range(services.MAX_FILES_PER_UPLOAD + 1)]
    with pytest.raises(ServiceError) as caught:
        services.upload_photos(user, files)
    assert caught.value.code == "too_many_files"
    assert Photo.objects.count() == 0


def test_no_files_is_refused(user):
    with pytest.raises(ServiceError, match="at least one image"):
        services.upload_photos(user, [])


def test_reupload_brings_back_a_purged_original(stored_files, user, settings):
    data = unique_jpeg()
    photo, _ = services.upload_photo(user, upload(data))
    default_storage.delete(photo.original.name)
    Photo.objects.filter(pk=photo.pk).update(original="", original_purged_at="2020-01-01T00:00Z")

    again, created = services.upload_photo(user, upload(data))
    assert again.pk == photo.pk and not created
    assert again.original and again.original_purged_at is None
    assert default_storage.exists(again.original.name)
    assert stored_files() == sorted([again.original.name, again.thumbnail.name])


def test_photos_for_is_scoped_to_the_owner(user, other_user):
    mine = [PhotoFactory(owner=user), PhotoFactory(owner=user)]
    PhotoFactory(owner=other_user)
    assert {photo.pk for photo in selectors.photos_for(user)} == {photo.pk for photo in mine}


def test_delete_photo_deletes_its_results_and_every_file(
    stored_files, photo, settings, django_capture_on_commit_callbacks
):
    results = [ResultFactory(photo=photo), ResultFactory(photo=photo)]
    names = services.photo_file_names(photo)
    assert len(names) == 6
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(photo)

    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not Result.objects.filter(pk__in=[result.pk for result in results]).exists()
    assert stored_files("users/") == []


def test_files_stay_until_the_deletion_commits(photo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_photo(photo)
    assert default_storage.exists(photo.original.name)
    assert len(callbacks) == 1


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING])
def test_photo_used_by_an_active_job_cannot_be_deleted(photo, status):
    job = Job.objects.create(owner=photo.owner, kind=JobKind.STYLIZE, status=status)
    job.photos.add(photo)
    with pytest.raises(Conflict):
        services.delete_photo(photo)
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert default_storage.exists(photo.original.name)
