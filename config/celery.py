"""The Celery app. Tasks backed by `ml` go to the `gpu` queue; the rest to `default`."""

import os
import sys
from pathlib import Path

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("lookbook")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("gpu"))
app.conf.task_routes = {
    "jobs.tasks.run_gpu_job": {"queue": "gpu"},
    "styles.tasks.rebuild_stale_looks": {"queue": "gpu"},
}
app.autodiscover_tasks()


def _make_filesystem_broker_folders() -> None:
    """kombu's filesystem transport (the embedded default) expects its folders to exist."""
    options = app.conf.broker_transport_options or {}
    folders = [
        options[key]
        for key in ("data_folder_in", "processed_folder", "control_folder")
        if key in options
    ]
    if app.conf.result_backend.startswith("file://"):
        folders.append(app.conf.result_backend.removeprefix("file://"))
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)


if app.conf.broker_url.startswith("filesystem"):
    _make_filesystem_broker_folders()

app.conf.beat_schedule = {
    "reap-stale-jobs": {"task": "jobs.tasks.reap_stale_jobs", "schedule": 60.0},
    "purge-expired-originals": {
        "task": "accounts.tasks.purge_expired_originals",
        "schedule": 60.0 * 60,
    },
    "purge-expired-exports": {
        "task": "accounts.tasks.purge_expired_exports",
        "schedule": 60.0 * 60,
    },
    "purge-idempotency-keys": {"task": "core.tasks.purge_idempotency_keys", "schedule": 60.0 * 60},
}


def solo_worker_command(node_name: str) -> list[str]:
    """One solo-pool worker on both queues, as the tests and the benchmark start it."""
    return [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "gpu,default",
            "--pool", "solo", "-l", "info", "-n", f"{node_name}@%h"]  # fmt: skip
