from celery import shared_task


@shared_task(name="styles.tasks.rebuild_stale_looks", soft_time_limit=50 * 60, time_limit=55 * 60)
def rebuild_stale_looks() -> int:
    from styles import services

    return services.rebuild_stale_looks()
