"""Thin Celery entry points for data rights; the work lives in `accounts.services`."""

from celery import shared_task

from accounts import services


@shared_task(
    name="accounts.tasks.purge_expired_originals", soft_time_limit=50 * 60, time_limit=55 * 60
)
def purge_expired_originals() -> int:
    return services.purge_expired_originals()


@shared_task(name="accounts.tasks.purge_expired_exports", soft_time_limit=50, time_limit=60)
def purge_expired_exports() -> int:
    return services.purge_expired_exports()


@shared_task(
    name="accounts.tasks.delete_user_files",
    soft_time_limit=10 * 60,
    time_limit=12 * 60,
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=5,
)
def delete_user_files(user_id: int) -> int:
    """Sweep a deleted user's storage prefix again (late writes of a cancelled worker)."""
    return services.sweep_deleted_user_files(user_id)
