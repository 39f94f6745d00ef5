"""Jobs, results and personal adapters. Every status change of a `Job` goes through here.

A worker claims a job with one conditional UPDATE (queued -> running) that also bumps
`attempts`; every later write of that run is conditional on the same attempt, so a redelivered
message, or a worker the reaper gave up on, finds nothing to do.
"""

import math
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import profile_for
from config.errors import Conflict, NotFound, QuotaExceeded, ServiceError
from generation.files import delete_files_on_commit, stored_names
from generation.models import (
    ACTIVE_STATUSES,
    GPU_KINDS,
    AdapterStatus,
    Job,
    JobKind,
    JobStatus,
    PersonalAdapter,
    Photo,
    Rating,
    Result,
)

MAX_STRENGTH = 1.5
MIN_ADAPTER_PHOTOS = 3


# --- the state machine ---------------------------------------------------------------------


def enqueue(job: Job) -> None:
    """Send the job's id to its queue once the surrounding transaction commits."""
    from generation import tasks

    task = tasks.run_gpu_job if job.kind in GPU_KINDS else tasks.run_default_job
    job_id = str(job.id)

    def send() -> None:
        Job.objects.filter(id=job_id).update(enqueued_at=timezone.now())
        task.delay(job_id)

    transaction.on_commit(send)


def claim(job_id) -> Job | None:
    """Move a queued job to running for this worker, or return None if someone else has it."""
    now = timezone.now()
    claimed = Job.objects.filter(id=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        error="",
    )
    return Job.objects.get(id=job_id) if claimed == 1 else None


def _this_run(job: Job):
    """The job's row while it is still running the attempt this worker claimed."""
    return Job.objects.filter(id=job.id, status=JobStatus.RUNNING, attempts=job.attempts)


def report_progress(job: Job, progress: float) -> bool:
    """Record progress (0..1) and a heartbeat. False when this run was cancelled or reaped."""
    job.progress = max(0, min(100, round(progress * 100)))
    updated = _this_run(job).update(progress=job.progress, heartbeat_at=timezone.now())
    return updated == 1


def succeed(job: Job, *, compute_seconds: float) -> bool:
    """Finish a running job. Compute is counted only by the call that makes the transition."""
    return _finish(job, JobStatus.SUCCEEDED, compute_seconds=compute_seconds, progress=100)


def fail(job: Job, message: str, *, compute_seconds: float = 0.0) -> bool:
    return _finish(job, JobStatus.FAILED, compute_seconds=compute_seconds, error=message)


def _finish(job: Job, status: str, *, compute_seconds: float, **fields) -> bool:
    with transaction.atomic():
        done = _this_run(job).update(
            status=status,
            finished_at=timezone.now(),
            compute_seconds=F("compute_seconds") + compute_seconds,
            **fields,
        )
        if done == 1 and status != JobStatus.SUCCEEDED:
            _abandon_training_adapter(job)
    job.refresh_from_db()
    return done == 1


def _abandon_training_adapter(job: Job) -> None:
    if job.kind == JobKind.TRAIN_ADAPTER:
        PersonalAdapter.objects.filter(job=job, status=AdapterStatus.TRAINING).update(
            status=AdapterStatus.FAILED
        )


def cancel(job: Job) -> Job:
    """Cancel a queued or running job. A running worker notices at its next progress report."""
    with transaction.atomic():
        cancelled = Job.objects.filter(id=job.id, status__in=ACTIVE_STATUSES).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
        if cancelled == 1:
            _abandon_training_adapter(job)
    job.refresh_from_db()
    if cancelled != 1:
        raise Conflict(
            _("This job is already %(status)s.") % {"status": job.get_status_display().lower()}
        )
    return job


def charge_cancelled_compute(job: Job, compute_seconds: float) -> None:
    """Count the compute a run spent before it noticed its job was cancelled.

    A cancelled job can never be claimed again, so only the worker that held it gets here.
    """
    Job.objects.filter(id=job.id, status=JobStatus.CANCELLED, attempts=job.attempts).update(
        compute_seconds=F("compute_seconds") + compute_seconds
    )


def requeue(job: Job, *, stale_before: datetime | None = None, resend: bool = True) -> bool:
    """Put a running job back in the queue (the reaper's retry, or a transient error's).

    `stale_before` makes the move conditional on the heartbeat still being older than that, so
    a worker that just reported progress keeps its job. `resend=False` leaves sending the
    message to the caller (a Celery retry).
    """
    running = Job.objects.filter(id=job.id, status=JobStatus.RUNNING)
    if stale_before is not None:
        running = running.filter(heartbeat_at__lt=stale_before)
    requeued = running.update(
        status=JobStatus.QUEUED, heartbeat_at=None, enqueued_at=timezone.now()
    )
    if requeued == 1 and resend:
        enqueue(job)
    return requeued == 1


def reap_stale_jobs() -> dict[str, int]:
    """Recover jobs whose worker died and jobs whose message was lost.

    Running jobs without a heartbeat for `JOB_STALE_AFTER` go back to the queue, or fail once
    they used up `JOB_MAX_ATTEMPTS`. Queued jobs sent longer ago than that are sent again: the
    conditional claim makes a duplicate message harmless.
    """
    cutoff = timezone.now() - settings.JOB_STALE_AFTER
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff):
        if job.attempts < settings.JOB_MAX_ATTEMPTS:
            counts["requeued"] += requeue(job, stale_before=cutoff)
            continue
        message = _(
            "This job stopped responding %(attempts)d times and was given up. Please try again."
        ) % {"attempts": job.attempts}
        if _this_run(job).filter(heartbeat_at__lt=cutoff).exists():
            counts["failed"] += fail(job, message)
    lost = Job.objects.annotate(sent=Coalesce("enqueued_at", "created")).filter(
        status=JobStatus.QUEUED, heartbeat_at__isnull=True, sent__lt=cutoff
    )
    for job in lost:
        enqueue(job)
        counts["resent"] += 1
    return counts


# --- creating jobs -------------------------------------------------------------------------


def create_stylize_job(
    owner,
    *,
    photo_ids: Iterable,
    look_slug: str,
    strength: float | None = None,
    use_adapter: bool = True,
) -> Job:
    """Validate a stylize request against the owner's photos and quotas, then queue it."""
    profile = profile_for(owner)
    strength = profile.default_strength if strength is None else strength
    _check_strength(strength)
    look = _published_look(look_slug)
    photos = _owned_photos(owner, photo_ids)
    adapter = None
    if use_adapter and profile.personalization_enabled:
        adapter = adapter_for(owner, look)
    with transaction.atomic():
        _check_quotas(owner)
        job = Job.objects.create(
            owner=owner,
            kind=JobKind.STYLIZE,
            look=look,
            look_version=look.current_version,
            adapter=adapter,
            params={"strength": float(strength), "use_adapter": bool(use_adapter)},
        )
        job.photos.set(photos)
        enqueue(job)
    return job


def create_adapter_job(owner, *, look_slug: str, photo_ids: Iterable) -> Job:
    """Queue training of the owner's personal adapter for a look; the adapter shows at once."""
    look = _published_look(look_slug)
    photos = _owned_photos(owner, photo_ids)
    if len(photos) < MIN_ADAPTER_PHOTOS:
        raise ServiceError(
            _("Training your adapter needs at least %(count)d photos.")
            % {"count": MIN_ADAPTER_PHOTOS},
            fields={
                "photos": [_("Choose at least %(count)d photos.") % {"count": MIN_ADAPTER_PHOTOS}]
            },
        )
    with transaction.atomic():
        _check_quotas(owner)
        job = Job.objects.create(
            owner=owner,
            kind=JobKind.TRAIN_ADAPTER,
            look=look,
            look_version=look.current_version,
        )
        job.photos.set(photos)
        adapter = PersonalAdapter.objects.create(
            owner=owner, look=look, look_version=look.current_version, job=job
        )
        adapter.photos.set(photos)
        job.adapter = adapter
        job.save(update_fields=["adapter"])
        enqueue(job)
    return job


def _check_strength(strength) -> None:
    valid = isinstance(strength, int | float) and not isinstance(strength, bool)
    if not valid or not math.isfinite(strength) or not 0 <= strength <= MAX_STRENGTH:
        message = _("Strength must be a number from 0 to %(max)s.") % {"max": MAX_STRENGTH}
        raise ServiceError(message, fields={"strength": [message]})


def _published_look(slug: str):
    from styles.models import Look, LookStatus

    look = (
        Look.objects.select_related("current_version")
        .filter(slug=slug, status=LookStatus.READY, is_published=True)
        .exclude(current_version=None)
        .first()
    )
    if look is None:
        raise NotFound(_("No such look."), fields={"look": [_("No such look.")]})
    return look


def _owned_photos(owner, photo_ids: Iterable) -> list[Photo]:
    """The owner's photos for these ids (or Photo rows), in the order given.

    Other users' ids count as unknown, exactly like ids that do not exist.
    """
    requested = list(dict.fromkeys(str(getattr(item, "pk", item)) for item in photo_ids or ()))
    if not requested:
        message = _("Choose at least one photo.")
        raise ServiceError(message, fields={"photos": [message]})
    limit = owner.quota("photos_per_job")
    if len(requested) > limit:
        message = _("A job can take at most %(limit)d photos; you chose %(count)d.") % {
            "limit": limit,
            "count": len(requested),
        }
        raise QuotaExceeded(message, code="too_many_photos", fields={"photos": [message]})
    valid_ids = [photo_id for photo_id in requested if _is_uuid(photo_id)]
    found = {str(photo.id): photo for photo in Photo.objects.filter(owner=owner, id__in=valid_ids)}
    unknown = [photo_id for photo_id in requested if photo_id not in found]
    if unknown:
        message = _("Unknown photos: %(ids)s.") % {"ids": ", ".join(unknown)}
        raise ServiceError(message, code="unknown_photos", fields={"photos": [message]})
    purged = [
        photo_id
        for photo_id, photo in found.items()
        if photo.original_purged_at is not None or not photo.original
    ]
    if purged:
        message = _("The originals of these photos were deleted: %(ids)s.") % {
            "ids": ", ".join(purged)
        }
        raise ServiceError(message, code="original_deleted", fields={"photos": [message]})
    return [found[photo_id] for photo_id in requested]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _check_quotas(owner) -> None:
    """429 when the owner has too many active jobs or used today's compute.

    Locks the owner's row so two concurrent requests cannot both pass the concurrency check.
    """
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    active = Job.objects.filter(owner=owner, status__in=ACTIVE_STATUSES).count()
    concurrent = owner.quota("concurrent_jobs")
    if active >= concurrent:
        raise QuotaExceeded(
            ngettext(
                "You already have %(active)d job queued or running (your limit is %(limit)d). "
                "Wait for it to finish or cancel it.",
                "You already have %(active)d jobs queued or running (your limit is %(limit)d). "
                "Wait for one to finish or cancel one.",
                active,
            )
            % {"active": active, "limit": concurrent}
        )
    used = compute_seconds_today(owner)
    daily = owner.quota("daily_compute_seconds")
    if used >= daily:
        raise QuotaExceeded(
            _(
                "You used today's compute allowance (%(used)d of %(limit)d seconds). "
                "It resets at midnight UTC."
            )
            % {"used": used, "limit": daily}
        )


def compute_seconds_today(owner) -> float:
    """Compute seconds of the owner's jobs that finished since midnight UTC."""
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    total = Job.objects.filter(owner=owner, finished_at__gte=midnight).aggregate(
        total=Sum("compute_seconds")
    )["total"]
    return total or 0.0


# --- results and adapters --------------------------------------------------------------------


def set_feedback(result: Result, *, rating: int | None = None, favourite=None) -> Result:
    """Rate (-1, 0, 1) and/or favourite a result; either may be left out."""
    changed = []
    if rating is not None:
        if isinstance(rating, bool) or rating not in Rating.values:
            message = _("Rating must be -1, 0 or 1.")
            raise ServiceError(message, fields={"rating": [message]})
        result.rating = rating
        changed.append("rating")
    if favourite is not None:
        if not isinstance(favourite, bool):
            message = _("Favourite must be true or false.")
            raise ServiceError(message, fields={"favourite": [message]})
        result.favourite = favourite
        changed.append("favourite")
    if changed:
        result.save(update_fields=changed)
    return result


def delete_result(result: Result) -> None:
    """Delete a result and, once the deletion commits, its image files."""
    names = stored_names(result.image, result.thumbnail)
    with transaction.atomic():
        result.delete()
        delete_files_on_commit(names)


def delete_adapter(adapter: PersonalAdapter) -> None:
    """Delete a personal adapter and its weights file. One still training cannot be deleted."""
    if adapter.status == AdapterStatus.TRAINING:
        raise Conflict(_("This adapter is still training. Cancel its job first."))
    names = stored_names(adapter.file)
    with transaction.atomic():
        adapter.delete()
        delete_files_on_commit(names)


def adapter_for(user, look) -> PersonalAdapter | None:
    """The user's newest ready adapter for the look's current version, if any."""
    if look.current_version_id is None:
        return None
    return (
        PersonalAdapter.objects.filter(
            owner=user,
            look=look,
            look_version_id=look.current_version_id,
            status=AdapterStatus.READY,
        )
        .exclude(Q(file="") | Q(file__isnull=True))
        .order_by("-created")
        .first()
    )
