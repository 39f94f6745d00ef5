"""Job state machine. Every status change of a `Job` goes through these functions.

A worker claims a job with one conditional UPDATE (queued -> running); a redelivered message
finds the job already claimed or finished and does nothing.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict
from generation.models import ACTIVE_STATUSES, GPU_KINDS, Job, JobStatus


def enqueue(job: Job) -> None:
    """Send the job's id to its queue once the surrounding transaction commits."""
    from generation import tasks

    task = tasks.run_gpu_job if job.kind in GPU_KINDS else tasks.run_default_job
    job_id = str(job.id)
    transaction.on_commit(lambda: task.delay(job_id))


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


def report_progress(job: Job, progress: float) -> bool:
    """Record progress (0..1) and a heartbeat. Returns False when the job was cancelled."""
    job.progress = max(0, min(100, round(progress * 100)))
    updated = Job.objects.filter(id=job.id, status=JobStatus.RUNNING).update(
        progress=job.progress, heartbeat_at=timezone.now()
    )
    return updated == 1


def succeed(job: Job, *, compute_seconds: float) -> bool:
    """Finish a running job. Compute is counted only by the call that makes the transition."""
    return _finish(job, JobStatus.SUCCEEDED, compute_seconds=compute_seconds, progress=100)


def fail(job: Job, message: str, *, compute_seconds: float = 0.0) -> bool:
    return _finish(job, JobStatus.FAILED, compute_seconds=compute_seconds, error=message)


def _finish(job: Job, status: str, *, compute_seconds: float, **fields) -> bool:
    done = Job.objects.filter(id=job.id, status=JobStatus.RUNNING).update(
        status=status,
        finished_at=timezone.now(),
        compute_seconds=F("compute_seconds") + compute_seconds,
        **fields,
    )
    job.refresh_from_db()
    return done == 1


def cancel(job: Job) -> Job:
    """Cancel a queued or running job. A running worker notices at its next progress report."""
    cancelled = Job.objects.filter(id=job.id, status__in=ACTIVE_STATUSES).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if cancelled != 1:
        raise Conflict(f"This job is already {job.get_status_display().lower()}.")
    return job


def requeue(job: Job) -> bool:
    """Put a stale running job back in the queue (the reaper's retry)."""
    requeued = Job.objects.filter(id=job.id, status=JobStatus.RUNNING).update(
        status=JobStatus.QUEUED, heartbeat_at=None
    )
    if requeued == 1:
        enqueue(job)
    return requeued == 1
