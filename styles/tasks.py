from celery import shared_task

from styles import build


@shared_task(name="styles.tasks.rebuild_stale_looks", soft_time_limit=50 * 60, time_limit=55 * 60)
def rebuild_stale_looks() -> int:
    return build.rebuild_stale_looks()
