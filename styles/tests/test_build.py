"""The train_look handler: building look versions, failures, cancellation and rebuilds."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jobs import runner
from jobs.errors import JobCancelled
from jobs.models import Job, JobStatus
from styles import build
from styles.models import LookStatus, LookVersion
from styles.tests.factories import BuildJobFactory

pytestmark = pytest.mark.usefixtures("small_renders")


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


def test_build_creates_version_one_with_its_files_and_renders(draft_look, user, tmp_path):
    job = BuildJobFactory(look=draft_look, owner=user)
    fractions: list[float] = []
    version = build.run(job, fractions.append)
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
    job = BuildJobFactory(look=draft_look, owner=user)
    first = build.run(job, no_progress)
    second = build.run(job, no_progress)
    assert first == second
    assert LookVersion.objects.filter(look=draft_look).count() == 1


def test_retraining_adds_a_version_and_keeps_the_old_one_loadable(ready_look, user, tmp_path):
    old = ready_look.current_version
    version = build.run(
        BuildJobFactory(look=ready_look, owner=user, method="zero_shot"), no_progress
    )
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
    version = build.run(
        BuildJobFactory(look=draft_look, owner=user, method="trained"), fractions.append
    )
    assert calls == [3]
    assert version.method == LookVersion.Method.TRAINED
    assert 0.05 < fractions[1] < 0.8


def test_ml_failure_marks_the_look_failed_with_its_message(draft_look, user, monkeypatch):
    import ml

    def broken(references, **kwargs):
        raise ml.MLError("the reference photos are all grey")

    monkeypatch.setattr(ml, "encode_look", broken)
    with pytest.raises(ml.MLError):
        build.run(BuildJobFactory(look=draft_look, owner=user), no_progress)
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.FAILED
    assert draft_look.error == "the reference photos are all grey"
    assert not LookVersion.objects.filter(look=draft_look).exists()


def test_unexpected_failure_shows_a_generic_error_and_leaves_no_files(
    stored_files, draft_look, user, monkeypatch
):
    import ml

    def broken_cube(look, path, size=33, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ml, "export_cube", broken_cube)
    with pytest.raises(RuntimeError):
        build.run(BuildJobFactory(look=draft_look, owner=user), no_progress)
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.FAILED
    assert "unexpectedly" in draft_look.error and "disk" not in draft_look.error
    names = stored_files(f"catalog/looks/{draft_look.id}/")
    assert names and all("/references/" in name for name in names)


def test_failed_rebuild_keeps_a_ready_look_on_its_version(ready_look, user, monkeypatch):
    import ml

    def broken(references, **kwargs):
        raise ml.MLError("no")

    monkeypatch.setattr(ml, "encode_look", broken)
    old = ready_look.current_version
    with pytest.raises(ml.MLError):
        build.run(BuildJobFactory(look=ready_look, owner=user), no_progress)
    ready_look.refresh_from_db()
    assert (ready_look.status, ready_look.current_version, ready_look.error) == (
        LookStatus.READY,
        old,
        "no",
    )


def test_cancelled_build_returns_a_new_look_to_draft(draft_look, user):
    def cancelled(fraction: float) -> None:
        raise JobCancelled("cancelled")

    draft_look.status = LookStatus.TRAINING
    draft_look.save()
    with pytest.raises(JobCancelled):
        build.run(BuildJobFactory(look=draft_look, owner=user), cancelled)
    draft_look.refresh_from_db()
    assert (draft_look.status, draft_look.error) == (LookStatus.DRAFT, "")


def test_looks_made_with_another_base_model_are_rebuilt_once(make_ready_look, tmp_path):
    import ml
    from jobs import ml_loader

    current_base = ml.load_base().fingerprint
    stale, fresh = make_ready_look(), make_ready_look()
    made = load_look_file(stale.current_version.file.name, tmp_path)
    path = tmp_path / "other-base.safetensors"
    ml.Look(made.code, made.residual, "0" * 16, {}).save(path)
    default_storage.delete(stale.current_version.file.name)
    default_storage.save(stale.current_version.file.name, ContentFile(path.read_bytes()))
    ml_loader.clear()

    assert build.rebuild_stale_looks() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.version, stale.current_version.method) == (2, LookVersion.Method.ZERO_SHOT)
    assert load_look_file(stale.current_version.file.name, tmp_path).base == current_base
    assert fresh.version == 1
    assert build.rebuild_stale_looks() == 0


def test_the_runner_runs_a_queued_build_to_success(draft_look, user):
    job = BuildJobFactory(look=draft_look, owner=user, status=JobStatus.QUEUED, attempts=0)
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.look_version.look == draft_look
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.READY
