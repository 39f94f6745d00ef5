"""The job state machine: enqueue, claim, progress, finish, cancel, requeue, reap; and quotas.

A worker claims a job with one conditional UPDATE (queued -> running) that also bumps
`attempts`; every later write of that run is conditional on the same attempt, so a redelivered
message, or a worker the reaper gave up on, finds nothing to do.
"""

import logging
import math
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import Conflict, QuotaExceeded
from jobs import registry
from jobs.models import ACTIVE_STATUSES, GPU_KINDS, Job, JobStatus

logger = logging.getLogger(__name__)


def enqueue(job: Job) -> None:
    """Send the job's id to its queue once the surrounding transaction commits.

    The job is saved either way: if the broker cannot take the message, the reaper sends it
    again once it is older than `JOB_STALE_AFTER`, so the caller still gets its 202 and must
    not retry into a duplicate.
    """
    # Sent by name: the tasks import this module, so importing them here would be a circle.
    task = "jobs.tasks.run_gpu_job" if job.kind in GPU_KINDS else "jobs.tasks.run_default_job"
    job_id = str(job.id)

    def send() -> None:
        Job.objects.filter(id=job_id).update(enqueued_at=timezone.now())
        try:
            current_app.send_task(task, args=(job_id,))
        except Exception as exc:  # the broker is down: the reaper resends
            logger.warning("job %s saved but not sent (%s); the reaper will resend it", job_id, exc)

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
            registry.abandon(job)
    job.refresh_from_db()
    return done == 1


def cancel(job: Job) -> Job:
    """Cancel a queued or running job. A running worker notices at its next progress report."""
    with transaction.atomic():
        cancelled = Job.objects.filter(id=job.id, status__in=ACTIVE_STATUSES).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
        if cancelled == 1:
            registry.abandon(job)
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


def check_quotas(owner) -> None:
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
            % {"used": used, "limit": daily},
            retry_after=seconds_to_midnight(),
        )


def seconds_to_midnight() -> int:
    """When daily quotas reset (midnight UTC), for a 429's Retry-After."""
    now = timezone.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return math.ceil((midnight - now).total_seconds())


def compute_seconds_today(owner) -> float:
    """Compute seconds of the owner's jobs that finished since midnight UTC."""
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    total = Job.objects.filter(owner=owner, finished_at__gte=midnight).aggregate(
        total=Sum("compute_seconds")
    )["total"]
    return total or 0.0
