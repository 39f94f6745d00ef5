"""Thin Celery entry points of shared infrastructure."""

from celery import shared_task

from core import idempotency


@shared_task(name="core.tasks.purge_idempotency_keys", soft_time_limit=50, time_limit=60)
def purge_idempotency_keys() -> int:
    return idempotency.purge_expired()
