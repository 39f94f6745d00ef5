"""Thin Celery entry points. The work itself lives in `generation.runners`."""

from celery import shared_task


@shared_task(name="generation.tasks.run_gpu_job", soft_time_limit=20 * 60, time_limit=25 * 60)
def run_gpu_job(job_id: str) -> None:
    from generation import runners

    runners.run(job_id)


@shared_task(name="generation.tasks.run_default_job", soft_time_limit=10 * 60, time_limit=12 * 60)
def run_default_job(job_id: str) -> None:
    from generation import runners

    runners.run(job_id)
