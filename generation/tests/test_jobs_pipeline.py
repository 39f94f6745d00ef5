"""Stylize and adapter jobs run in-process through the runner with the real `ml` package."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from core.errors import StorageUnavailable
from generation import personalization, services
from generation.models import AdapterStatus, PersonalAdapter, Result
from generation.tests.factories import PhotoFactory, ResultFactory
from jobs import ml_loader, runner
from jobs.errors import RetryLater
from jobs.models import JobStatus

pytestmark = pytest.mark.usefixtures("sent")  # jobs are queued without a broker


@pytest.fixture
def real_look(make_ready_look):
    return make_ready_look()


def stylize_job(user, photos, look, **options):
    return services.create_stylize_job(
        user, photo_ids=[str(photo.id) for photo in photos], look_slug=look.slug, **options
    )


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stored:
        return Image.open(io.BytesIO(stored.read()))


def test_stylize_job_saves_one_result_per_photo(user, real_look):
    photos = [PhotoFactory(owner=user), PhotoFactory(owner=user, size=(40, 60))]
    job = stylize_job(user, photos, real_look, strength=1.0)
    runner.run(job.id)
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (JobStatus.SUCCEEDED, 100, "")
    results = {result.photo_id: result for result in Result.objects.filter(job=job)}
    assert set(results) == {photo.id for photo in photos}
    for photo in photos:
        result = results[photo.id]
        assert result.image.name.startswith(f"users/{user.id}/results/")
        assert result.image.name.endswith(".jpg")
        assert result.thumbnail.name.endswith(".webp")
        image = stored_image(result.image.name)
        assert (image.format, image.size) == ("JPEG", (photo.width, photo.height))
        assert (result.width, result.height) == image.size
        assert result.look_version == real_look.current_version
        original = stored_image(photo.original.name).convert("RGB")
        assert image.convert("RGB").tobytes() != original.tobytes()


def test_results_are_shrunk_to_the_profiles_long_side(user, real_look):
    profile = user.preference_profile()
    profile.result_long_side = 1024
    profile.save()
    photo = PhotoFactory(owner=user, size=(1280, 960))
    runner.run(stylize_job(user, [photo], real_look).id)
    result = Result.objects.get(photo=photo)
    assert (result.width, result.height) == (1024, 768)
    assert stored_image(result.image.name).size == (1024, 768)
    assert max(stored_image(result.thumbnail.name).size) == 512


def test_transparent_photo_gives_a_png_result(user, real_look):
    photo = PhotoFactory(owner=user, alpha=True)
    runner.run(stylize_job(user, [photo], real_look).id)
    result = Result.objects.get(photo=photo)
    assert result.image.name.endswith(".png")
    assert stored_image(result.image.name).mode == "RGBA"


def test_running_twice_makes_one_set_of_results_and_counts_compute_once(user, real_look):
    photos = [PhotoFactory(owner=user) for _ in range(2)]
    job = stylize_job(user, photos, real_look)
    runner.run(job.id)
    job.refresh_from_db()
    compute = job.compute_seconds
    files = set(default_storage.listdir(f"users/{user.id}/results")[1])
    runner.run(job.id)
    job.refresh_from_db()
    assert Result.objects.filter(job=job).count() == 2
    assert (job.attempts, job.compute_seconds) == (1, compute)
    assert set(default_storage.listdir(f"users/{user.id}/results")[1]) == files


def test_a_restarted_job_skips_photos_that_have_results(user, real_look):
    photos = [PhotoFactory(owner=user) for _ in range(3)]
    job = stylize_job(user, photos, real_look)
    original_stylize = ml_loader.ml().stylize
    calls = []

    def stylize_then_die(image, *args, **kwargs):
        calls.append(image.size)
        if len(calls) == 2:
            raise StorageUnavailable("simulated outage")
        return original_stylize(image, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ml_loader.ml(), "stylize", stylize_then_die)
        with pytest.raises(RetryLater):
            runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    first = set(Result.objects.filter(job=job).values_list("id", flat=True))
    assert len(first) == 1
    runner.run(job.id)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCEEDED, 2)
    assert Result.objects.filter(job=job).count() == 3
    assert first <= set(Result.objects.filter(job=job).values_list("id", flat=True))


def test_corrupt_look_file_fails_the_job_with_a_readable_message(user, catalog_look):
    job = stylize_job(user, [PhotoFactory(owner=user)], catalog_look)
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The file of this look is damaged; please choose another look."
    assert not Result.objects.filter(job=job).exists()


def test_torch_threads_are_set_from_the_settings_once(monkeypatch, settings):
    import torch

    calls: list[int] = []
    monkeypatch.setattr(torch, "set_num_threads", calls.append)
    monkeypatch.setattr(ml_loader, "_configured", False)
    settings.ML_THREADS = 3
    ml_loader.ml()
    ml_loader.ml()
    assert calls == [3]


def test_looks_are_cached_by_kind_id_and_version(user, real_look, settings):
    settings.ML_CACHE_SIZE = 1
    version = real_look.current_version
    first = ml_loader.look(version)
    assert ml_loader.look(version) is first
    assert ml_loader.cached_keys() == [("look", real_look.id, version.number)]
    ml_loader.clear()
    assert ml_loader.look(version) is not first


def test_adapter_training_makes_a_ready_adapter_that_stylize_then_uses(user, real_look):
    photos = [PhotoFactory(owner=user, size=(48, 48)) for _ in range(3)]
    source = ResultFactory(owner=user, look=real_look, strength=0.6)
    ResultFactory(owner=user, look=real_look, edited_from=source, edits={"temperature": 40.0})
    job = personalization.create_adapter_job(user, look_slug=real_look.slug)
    runner.run(job.id)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.SUCCEEDED, "")
    assert job.progress == 100
    adapter = PersonalAdapter.objects.get(job=job)
    assert adapter.status == AdapterStatus.READY
    assert adapter.file.name.startswith(f"users/{user.id}/adapters/")
    assert adapter.file.name.endswith(".safetensors")
    assert default_storage.exists(adapter.file.name)
    assert adapter.evidence == {"edits": 1, "ratings": 0, "pairs": 0, "weight": 3.0}
    assert 0 < adapter.taste["temperature"] < 40.0

    styled = stylize_job(user, photos[:1], real_look)
    assert styled.adapter == adapter
    runner.run(styled.id)
    result = Result.objects.get(job=styled)
    assert (result.adapter, result.adapter_version, result.adapter_intensity) == (adapter, 1, 1.0)
    assert result.applied_edits["temperature"] == adapter.taste["temperature"]


def test_failed_adapter_training_marks_the_adapter_failed(user, catalog_look):
    rated = ResultFactory(owner=user, look=catalog_look, rating=-1)
    job = personalization.create_adapter_job(user, look_slug=catalog_look.slug)
    rated.delete()  # nothing is left to learn from when the job runs
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Nothing to learn from yet")
    assert PersonalAdapter.objects.get(job=job).status == AdapterStatus.FAILED
