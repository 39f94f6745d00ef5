"""Job handlers that run on the gpu queue: stylize photos and train a personal adapter.

Both are idempotent: a stylize run skips photos that already have a result for its job (and
the unique (job, photo) constraint catches a race), and an adapter that is already ready is not
trained again.
"""

import contextlib
import io
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.services import profile_for
from config.errors import ServiceError
from generation import engine
from generation.models import AdapterStatus, Job, PersonalAdapter, Photo, Rating, Result
from generation.runners import StorageUnavailable

Progress = Callable[[float], None]

JPEG_QUALITY = 92
THUMBNAIL_LONG_SIDE = 512
ADAPTER_PHOTO_LONG_SIDE = 512


def stylize(job: Job, progress: Progress) -> None:
    """Give each of the job's photos the job's look; one `Result` per photo, saved as it goes."""
    if job.look_version is None:
        raise ServiceError(_("This look is no longer available."))
    ml = engine.ml()
    look = engine.look(job.look_version)
    adapter = _loaded_adapter(job.adapter)
    strength = float(job.params.get("strength", 1.0))
    long_side = profile_for(job.owner).result_long_side
    photos = list(job.photos.order_by("created", "id"))
    if not photos:
        raise ServiceError(_("The photos of this job were deleted."))
    done = set(Result.objects.filter(job=job).values_list("photo_id", flat=True))
    progress(len(done) / len(photos))
    for photo in photos:
        if photo.id in done:
            continue
        image = _fit(_open_original(photo), long_side)
        styled = _stylize_keeping_alpha(ml, image, look, adapter, strength)
        _save_result(job, photo, styled, strength)
        done.add(photo.id)
        progress(len(done) / len(photos))


def train_adapter(job: Job, progress: Progress) -> None:
    """Fine-tune the user's adapter for the job's look on their photos and feedback."""
    personal = PersonalAdapter.objects.filter(job=job).first()
    if personal is None:
        raise ServiceError(_("This adapter was deleted."))
    if personal.status == AdapterStatus.READY:
        return
    if job.look_version is None:
        raise ServiceError(_("This look is no longer available."))
    ml = engine.ml()
    look = engine.look(job.look_version)
    photos = [
        _fit(_open_original(photo), ADAPTER_PHOTO_LONG_SIDE).convert("RGB")
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
        device=engine.device(),
    )
    name = _save_adapter_file(job, trained)
    metrics = dict(trained.meta)
    updated = PersonalAdapter.objects.filter(id=personal.id, status=AdapterStatus.TRAINING).update(
        status=AdapterStatus.READY, file=name, metrics=metrics
    )
    if updated != 1:
        _delete_quietly(name)


def _feedback(job: Job) -> tuple[list[dict], float | None]:
    """The owner's rated results of this look (liked: real, disliked: fake), newest 32, each
    paired with its source photo while the original exists; and their preferred strength: the
    mean strength of liked results, else of all their results of this look, else None.
    """
    results = Result.objects.filter(owner=job.owner, look=job.look).select_related("photo")
    rated = results.exclude(rating=Rating.NONE).order_by("-created")[:32]
    feedback = []
    for result in rated:
        photo = result.photo
        source = None
        if photo.original and photo.original_purged_at is None:
            source = _open_stored(photo.original.name, ADAPTER_PHOTO_LONG_SIDE).convert("RGB")
        image = _open_stored(result.image.name, ADAPTER_PHOTO_LONG_SIDE).convert("RGB")
        feedback.append({"image": image, "rating": result.rating, "source": source})
    liked = results.filter(rating=Rating.LIKE).aggregate(value=Avg("strength"))["value"]
    preferred = liked if liked is not None else results.aggregate(value=Avg("strength"))["value"]
    return feedback, preferred


def _loaded_adapter(personal: PersonalAdapter | None):
    if personal is None or personal.status != AdapterStatus.READY or not personal.file:
        return None
    return engine.adapter(personal)


def _open_original(photo: Photo) -> Image.Image:
    if photo.original_purged_at is not None or not photo.original:
        raise ServiceError(_("The original of photo %(id)s was deleted.") % {"id": photo.id})
    return _open_stored(photo.original.name)


def _open_stored(name: str, long_side: int = 0) -> Image.Image:
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        raise ServiceError(_("A stored image is missing.")) from None
    except OSError as exc:
        raise StorageUnavailable(name) from exc
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ServiceError(_("A stored image could not be read.")) from None
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    return _fit(image, long_side)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _fit(image: Image.Image, long_side: int) -> Image.Image:
    """Shrink so the long side is at most `long_side` (0 keeps the size); never enlarge."""
    if not long_side or max(image.size) <= long_side:
        return image
    scale = long_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _stylize_keeping_alpha(ml, image: Image.Image, look, adapter, strength: float) -> Image.Image:
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    rgb = image.convert("RGB")
    styled = ml.stylize(rgb, look, adapter, strength=strength, device=engine.device())
    styled = styled.convert("RGB")
    if alpha is not None:
        styled.putalpha(alpha.resize(styled.size))
    return styled


def _save_result(job: Job, photo: Photo, image: Image.Image, strength: float) -> None:
    owner_id = job.owner_id
    alpha = image.mode == "RGBA"
    encoded = io.BytesIO()
    if alpha:
        image.save(encoded, "PNG", optimize=True)
    else:
        image.save(encoded, "JPEG", quality=JPEG_QUALITY, optimize=True)
    thumbnail = _fit(image, THUMBNAIL_LONG_SIDE)
    thumb_encoded = io.BytesIO()
    thumbnail.save(thumb_encoded, "WEBP", quality=80)
    stem = uuid.uuid4().hex
    image_name = _store(f"users/{owner_id}/results/{stem}.{'png' if alpha else 'jpg'}", encoded)
    thumb_name = _store(f"users/{owner_id}/thumbs/{stem}.webp", thumb_encoded)
    try:
        with transaction.atomic():
            Result.objects.create(
                job=job,
                owner_id=owner_id,
                photo=photo,
                look_id=job.look_id,
                look_version=job.look_version,
                adapter_id=job.adapter_id,
                strength=strength,
                image=image_name,
                thumbnail=thumb_name,
                width=image.width,
                height=image.height,
            )
    except IntegrityError:
        # Another run of this job saved this photo's result first: keep theirs only.
        _delete_quietly(image_name)
        _delete_quietly(thumb_name)


def _save_adapter_file(job: Job, trained) -> str:
    with tempfile.TemporaryDirectory(prefix="lookbook-") as folder:
        path = Path(folder) / "adapter.safetensors"
        trained.save(path)
        data = io.BytesIO(path.read_bytes())
    return _store(f"users/{job.owner_id}/adapters/{uuid.uuid4().hex}.safetensors", data)


def _store(name: str, data: io.BytesIO) -> str:
    try:
        return default_storage.save(name, ContentFile(data.getvalue()))
    except OSError as exc:
        raise StorageUnavailable(name) from exc


def _delete_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        default_storage.delete(name)
