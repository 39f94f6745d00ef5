"""Catalog services: references, build requests, the train_look handler, publishing."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config.errors import Conflict, ServiceError
from generation import runners
from generation.models import Job, JobKind, JobStatus
from styles import selectors, services
from styles.models import Look, LookStatus, LookVersion, ReferencePhoto
from styles.tests.factories import InfluencerFactory, LookFactory


@pytest.fixture(autouse=True)
def small_renders(monkeypatch):
    """Render fewer, smaller samples: the tests check where they go, not how they look."""
    monkeypatch.setattr(services, "RENDER_LONG_SIDE", 96)
    monkeypatch.setattr(services, "PREVIEW_COUNT", 2)


def upload(name: str, fmt: str = "PNG", size=(40, 30), colour=(200, 90, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, colour).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def stored(prefix: str) -> list[str]:
    folders, files = default_storage.listdir(prefix) if default_storage.exists(prefix) else ([], [])
    return [f"{prefix}/{name}" for name in files] + [
        name for folder in folders for name in stored(f"{prefix}/{folder}")
    ]


def make_job(look: Look, user, method: str = "zero_shot", **fields) -> Job:
    fields.setdefault("status", JobStatus.RUNNING)
    fields.setdefault("attempts", 1)
    return Job.objects.create(
        owner=user, kind=JobKind.TRAIN_LOOK, look=look, params={"method": method}, **fields
    )


def load_look_file(name: str, folder: Path):
    """The ml.Look a stored version file holds (ml loads from a path)."""
    import ml

    path = folder / "look.safetensors"
    with default_storage.open(name) as handle:
        path.write_bytes(handle.read())
    return ml.Look.load(path)


def no_progress(fraction: float) -> None:
    assert 0.0 <= fraction <= 1.0


# --- references ----------------------------------------------------------------------------


def test_references_are_re_encoded_jpegs_under_generated_names(db):
    look = LookFactory()
    added = services.add_references(look, [upload("My Holiday.png"), upload("b.jpg", "JPEG")])
    assert [reference.order for reference in added] == [0, 1]
    for reference in added:
        assert re.fullmatch(
            rf"catalog/looks/{look.id}/references/[0-9a-f]{{32}}\.jpg", reference.image.name
        )
        assert "Holiday" not in reference.image.name
        with default_storage.open(reference.image.name) as handle:
            assert Image.open(handle).format == "JPEG"
        with default_storage.open(reference.thumbnail.name) as handle:
            assert Image.open(handle).format == "WEBP"
    more = services.add_references(look, [upload("c.png")])
    assert more[0].order == 2


def test_one_bad_reference_rejects_the_batch_and_stores_nothing(db):
    look = LookFactory()
    bad = SimpleUploadedFile("notes.png", b"this is not an image")
    with pytest.raises(ServiceError, match="File 2"):
        services.add_references(look, [upload("a.png"), bad])
    assert not ReferencePhoto.objects.filter(look=look).exists()
    assert stored(f"catalog/looks/{look.id}") == []


def test_deleting_a_look_removes_its_files(ready_look, django_capture_on_commit_callbacks):
    folder = f"catalog/looks/{ready_look.id}"
    assert len(stored(folder)) >= 8
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_look(ready_look)
    assert stored(folder) == []
    assert not Look.objects.filter(pk=ready_look.pk).exists()


# --- requesting a build ------------------------------------------------------------------------


def test_build_request_queues_a_train_look_job_owned_by_the_curator(
    draft_look, user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_look_build(draft_look, requested_by=user, method="trained")
    assert (job.kind, job.owner, job.look, job.params) == (
        JobKind.TRAIN_LOOK,
        user,
        draft_look,
        {"method": "trained"},
    )
    assert sent == [str(job.id)]
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.TRAINING


def test_build_request_needs_three_references(db, user, sent):
    look = LookFactory()
    services.add_references(look, [upload("a.png"), upload("b.png")])
    with pytest.raises(ServiceError, match="at least 3 reference photos"):
        services.request_look_build(look, requested_by=user)
    assert not Job.objects.exists()
    look.refresh_from_db()
    assert look.status == LookStatus.DRAFT


def test_second_build_request_is_refused_while_one_is_active(draft_look, user, sent):
    services.request_look_build(draft_look, requested_by=user)
    with pytest.raises(Conflict, match="already being built"):
        services.request_look_build(draft_look, requested_by=user, method="trained")
    assert Job.objects.filter(look=draft_look).count() == 1


def test_unknown_build_method_is_refused(draft_look, user):
    with pytest.raises(ServiceError, match="Unknown build method"):
        services.request_look_build(draft_look, requested_by=user, method="magic")


def test_rebuilding_a_published_look_keeps_it_ready_and_listed(ready_look, user, sent):
    services.request_look_build(ready_look, requested_by=user)
    ready_look.refresh_from_db()
    assert (ready_look.status, ready_look.is_published) == (LookStatus.READY, True)
    assert selectors.catalog_looks().filter(pk=ready_look.pk).exists()


# --- running a build ---------------------------------------------------------------------------


def test_build_creates_version_one_with_its_files_and_renders(draft_look, user, tmp_path):
    job = make_job(draft_look, user)
    fractions: list[float] = []
    version = services.run_look_job(job, fractions.append)
    draft_look.refresh_from_db()
    assert draft_look.current_version == version
    assert (draft_look.status, draft_look.error, draft_look.version) == (LookStatus.READY, "", 1)
    assert version.file.name == f"catalog/looks/{draft_look.id}/v1.safetensors"
    assert version.cube.name == f"catalog/looks/{draft_look.id}/v1.cube"
    assert version.metrics["job"] == str(job.id)
    assert version.metrics["seconds"] >= 0
    assert version.metrics["references"] == 3
    assert len(version.previews) == 2
    for field in (draft_look.cover, draft_look.sample_before, draft_look.sample_after):
        assert field.name.startswith(f"catalog/looks/{draft_look.id}/v1-")
        assert default_storage.exists(field.name)
    assert load_look_file(version.file.name, tmp_path).fingerprint == version.fingerprint
    assert fractions == sorted(fractions) and fractions[-1] <= 1.0
    assert Job.objects.get(pk=job.pk).look_version == version


def test_running_the_same_job_twice_makes_one_version(draft_look, user):
    job = make_job(draft_look, user)
    first = services.run_look_job(job, no_progress)
    second = services.run_look_job(job, no_progress)
    assert first == second
    assert LookVersion.objects.filter(look=draft_look).count() == 1


def test_retraining_adds_a_version_and_keeps_the_old_one_loadable(ready_look, user, tmp_path):
    old = ready_look.current_version
    version = services.run_look_job(make_job(ready_look, user, "zero_shot"), no_progress)
    ready_look.refresh_from_db()
    assert version.number == 2
    assert ready_look.current_version == version
    assert ready_look.version == 2
    assert LookVersion.objects.filter(look=ready_look).count() == 2
    assert load_look_file(old.file.name, tmp_path).fingerprint == old.fingerprint


def test_trained_method_calls_train_look_with_progress(draft_look, user, monkeypatch):
    import ml

    calls = []

    def fake_train(references, progress=None, **kwargs):
        calls.append(len(references))
        progress(0.5)
        return ml.encode_look(references)

    monkeypatch.setattr(ml, "train_look", fake_train)
    fractions: list[float] = []
    version = services.run_look_job(make_job(draft_look, user, "trained"), fractions.append)
    assert calls == [3]
    assert version.method == LookVersion.Method.TRAINED
    assert 0.05 < fractions[1] < 0.8


def test_ml_failure_marks_the_look_failed_with_its_message(draft_look, user, monkeypatch):
    import ml

    def broken(references, **kwargs):
        raise ml.MLError("the reference photos are all grey")

    monkeypatch.setattr(ml, "encode_look", broken)
    with pytest.raises(ml.MLError):
        services.run_look_job(make_job(draft_look, user), no_progress)
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.FAILED
    assert draft_look.error == "the reference photos are all grey"
    assert not LookVersion.objects.filter(look=draft_look).exists()


def test_unexpected_failure_shows_a_generic_error_and_leaves_no_files(
    draft_look, user, monkeypatch
):
    import ml

    def broken_cube(look, path, size=33, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ml, "export_cube", broken_cube)
    with pytest.raises(RuntimeError):
        services.run_look_job(make_job(draft_look, user), no_progress)
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.FAILED
    assert "unexpectedly" in draft_look.error and "disk" not in draft_look.error
    names = stored(f"catalog/looks/{draft_look.id}")
    assert names and all("/references/" in name for name in names)


def test_failed_rebuild_keeps_a_ready_look_on_its_version(ready_look, user, monkeypatch):
    import ml

    def broken(references, **kwargs):
        raise ml.MLError("no")

    monkeypatch.setattr(ml, "encode_look", broken)
    old = ready_look.current_version
    with pytest.raises(ml.MLError):
        services.run_look_job(make_job(ready_look, user), no_progress)
    ready_look.refresh_from_db()
    assert (ready_look.status, ready_look.current_version, ready_look.error) == (
        LookStatus.READY,
        old,
        "no",
    )


def test_cancelled_build_returns_a_new_look_to_draft(draft_look, user):
    def cancelled(fraction: float) -> None:
        raise runners.JobCancelled("cancelled")

    draft_look.status = LookStatus.TRAINING
    draft_look.save()
    with pytest.raises(runners.JobCancelled):
        services.run_look_job(make_job(draft_look, user), cancelled)
    draft_look.refresh_from_db()
    assert (draft_look.status, draft_look.error) == (LookStatus.DRAFT, "")


def test_the_runner_runs_a_queued_build_to_success(draft_look, user):
    job = make_job(draft_look, user, status=JobStatus.QUEUED, attempts=0)
    runners.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.look_version.look == draft_look
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.READY


# --- publishing ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [LookStatus.DRAFT, LookStatus.TRAINING, LookStatus.FAILED])
def test_only_a_ready_look_can_be_published(db, status):
    look = LookFactory(status=status)
    with pytest.raises(ServiceError, match="cannot be published"):
        services.publish(look)
    look.refresh_from_db()
    assert look.is_published is False


def test_publish_and_unpublish_a_ready_look(make_ready_look):
    look = make_ready_look(published=False)
    assert not selectors.catalog_looks().filter(pk=look.pk).exists()
    services.publish(look)
    assert selectors.catalog_looks().filter(pk=look.pk).exists()
    services.unpublish(look)
    look.refresh_from_db()
    assert look.is_published is False
    assert not selectors.catalog_looks().filter(pk=look.pk).exists()


def test_catalog_needs_the_influencer_published_too(make_ready_look):
    look = make_ready_look(influencer=InfluencerFactory(is_published=False))
    assert look.is_published
    assert not selectors.catalog_looks().filter(pk=look.pk).exists()
    assert not selectors.published_influencers().filter(pk=look.influencer_id).exists()
    services.set_influencer_published(look.influencer, True)
    assert selectors.catalog_looks().filter(pk=look.pk).exists()


def test_a_look_whose_build_was_given_up_is_settled_as_failed(draft_look, user):
    make_job(draft_look, user, status=JobStatus.FAILED, error="This job stopped responding.")
    Look.objects.filter(pk=draft_look.pk).update(status=LookStatus.TRAINING)
    draft_look.refresh_from_db()
    services.settle_status(draft_look)
    assert (draft_look.status, draft_look.error) == (
        LookStatus.FAILED,
        "This job stopped responding.",
    )


def test_a_look_with_an_active_build_stays_training(draft_look, user):
    make_job(draft_look, user, status=JobStatus.RUNNING)
    Look.objects.filter(pk=draft_look.pk).update(status=LookStatus.TRAINING)
    draft_look.refresh_from_db()
    assert services.settle_status(draft_look).status == LookStatus.TRAINING


def test_looks_made_with_another_base_model_are_rebuilt_once(make_ready_look, tmp_path):
    import ml
    from generation import engine

    current_base = ml.load_base().fingerprint
    stale, fresh = make_ready_look(), make_ready_look()
    made = load_look_file(stale.current_version.file.name, tmp_path)
    path = tmp_path / "other-base.safetensors"
    ml.Look(made.code, made.residual, "0" * 16, {}).save(path)
    default_storage.delete(stale.current_version.file.name)
    default_storage.save(stale.current_version.file.name, ContentFile(path.read_bytes()))
    engine.clear()

    assert services.rebuild_stale_looks() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.version, stale.current_version.method) == (2, LookVersion.Method.ZERO_SHOT)
    assert load_look_file(stale.current_version.file.name, tmp_path).base == current_base
    assert fresh.version == 1
    assert services.rebuild_stale_looks() == 0
