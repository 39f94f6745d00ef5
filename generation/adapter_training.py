"""The `train_adapter` job's handler (gpu queue): learn the user's taste for a look from what
they did with it. Idempotent: an adapter that is already ready is not trained again.
"""

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from core import files
from core.errors import ServiceError
from generation.models import AdapterStatus, PersonalAdapter, Rating, Result
from jobs import ml_loader
from jobs.models import Job
from jobs.registry import Progress

PHOTO_LONG_SIDE = 512
FEEDBACK_SHOWN = 32


def run(job: Job, progress: Progress) -> None:
    personal = PersonalAdapter.objects.filter(job=job).first()
    if personal is None:
        raise ServiceError(_("This adapter was deleted."))
    if personal.status == AdapterStatus.READY:
        return
    if job.look_version is None:
        raise ServiceError(_("This look is no longer available."))
    ml = ml_loader.ml()
    progress(0.05)
    trained = ml.train_adapter(_evidence(job, ml), {"look_version": str(job.look_version_id)})
    name = _save_adapter_file(job, trained)
    updated = PersonalAdapter.objects.filter(id=personal.id, status=AdapterStatus.TRAINING).update(
        status=AdapterStatus.READY, file=name, metrics=dict(trained.meta)
    )
    if updated != 1:
        files.delete_quietly(name)


def abandon(job: Job) -> None:
    """The job failed or was cancelled: its adapter will never be ready."""
    PersonalAdapter.objects.filter(job=job, status=AdapterStatus.TRAINING).update(
        status=AdapterStatus.FAILED
    )


def _evidence(job: Job, ml):
    """The owner's rated results of this look, newest first, as ratings of the edits each was
    rendered with (none yet: results carry no edits)."""
    results = Result.objects.filter(owner=job.owner, look=job.look).exclude(rating=Rating.NONE)
    ratings = [
        ({}, rating)
        for rating in results.order_by("-created").values_list("rating", flat=True)[:FEEDBACK_SHOWN]
    ]
    return ml.Evidence(ratings=ratings)


def _save_adapter_file(job: Job, trained) -> str:
    with tempfile.TemporaryDirectory(prefix="lookbook-") as folder:
        path = Path(folder) / "adapter.safetensors"
        trained.save(path)
        content = path.read_bytes()
    return files.store(files.user_file_name(job.owner_id, "adapters", "safetensors"), content)
