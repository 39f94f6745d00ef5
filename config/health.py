"""`/healthz`: database, broker and storage, each ok or failing."""

import os
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app


def _database() -> None:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage() -> None:
    bucket_name = getattr(default_storage, "bucket_name", None)
    if bucket_name:
        # A missing object is not an error on S3; a missing or forbidden bucket is.
        default_storage.connection.meta.client.head_bucket(Bucket=bucket_name)
        return
    folder = Path(default_storage.location)
    while not folder.exists():  # MEDIA_ROOT appears with the first upload
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise PermissionError(f"media folder {folder} is not writable")


CHECKS = {"database": _database, "broker": _broker, "storage": _storage}


@never_cache
def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
            report[name] = "ok"
        except Exception as exc:  # a health check reports every failure, whatever its kind
            report[name] = f"failing: {type(exc).__name__}"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **report}, status=200 if healthy else 503
    )
