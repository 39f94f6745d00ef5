"""The `train_adapter` job's handler (gpu queue): fine-tune the user's adapter for a look on
their photos and feedback. Idempotent: an adapter that is already ready is not trained again.
"""

import tempfile
from pathlib import Path

from django.db.models import Avg
from django.utils.translation import gettext as _

from core import files, images
from core.errors import ServiceError
from generation.models import AdapterStatus, PersonalAdapter, Rating, Result
from generation.stylize import open_original
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
    look = ml_loader.look(job.look_version)
    photos = [
        open_original(photo, PHOTO_LONG_SIDE).convert("RGB")
        for photo in job.photos.order_by("created", "id")
    ]
    if not photos:
        raise ServiceError(_("The photos of this job were deleted."))
    feedback, preferred_strength = _feedback(job)
    progress(0.05)
    trained = ml.train_adapter(
        look,
        photos,
        feedback=feedback,
        preferred_strength=preferred_strength,
        **({"steps": int(job.params["steps"])} if "steps" in job.params else {}),
        progress=lambda fraction: progress(0.05 + 0.9 * fraction),
        device=ml_loader.device(),
    )
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


def _feedback(job: Job) -> tuple[list[dict], float | None]:
    """The owner's rated results of this look (liked: real, disliked: fake), newest 32, each
    paired with its source photo while the original exists; and their preferred strength: the
    mean strength of liked results, else of all their results of this look, else None.
    """
    results = Result.objects.filter(owner=job.owner, look=job.look).select_related("photo")
    rated = results.exclude(rating=Rating.NONE).order_by("-created")[:FEEDBACK_SHOWN]
    feedback = []
    for result in rated:
        photo = result.photo
        source = None
        if photo.original and photo.original_purged_at is None:
            source = images.open_stored(photo.original.name, PHOTO_LONG_SIDE).convert("RGB")
        image = images.open_stored(result.image.name, PHOTO_LONG_SIDE).convert("RGB")
        feedback.append({"image": image, "rating": result.rating, "source": source})
    liked = results.filter(rating=Rating.LIKE).aggregate(value=Avg("strength"))["value"]
    preferred = liked if liked is not None else results.aggregate(value=Avg("strength"))["value"]
    return feedback, preferred


def _save_adapter_file(job: Job, trained) -> str:
    with tempfile.TemporaryDirectory(prefix="lookbook-") as folder:
        path = Path(folder) / "adapter.safetensors"
        trained.save(path)
        content = path.read_bytes()
    return files.store(files.user_file_name(job.owner_id, "adapters", "safetensors"), content)
