"""Thin Celery entry points of the job engine.

Both run tasks are idempotent (the runner claims with a conditional UPDATE), which is what
makes `acks_late` with `reject_on_worker_lost` safe. Only `RetryLater` (the runner put the job
back in the queue after a storage hiccup) is retried, with backoff.
"""

from celery import shared_task

from jobs import runner, services
from jobs.errors import RetryLater

RETRY = {
    "autoretry_for": (RetryLater,),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 4,
}


@shared_task(name="jobs.tasks.run_gpu_job", soft_time_limit=20 * 60, time_limit=25 * 60, **RETRY)
def run_gpu_job(job_id: str) -> None:
    runner.run(job_id)


@shared_task(
    name="jobs.tasks.run_default_job", soft_time_limit=10 * 60, time_limit=12 * 60, **RETRY
)
def run_default_job(job_id: str) -> None:
    runner.run(job_id)


@shared_task(name="jobs.tasks.reap_stale_jobs", soft_time_limit=50, time_limit=60)
def reap_stale_jobs() -> dict[str, int]:
    return services.reap_stale_jobs()
