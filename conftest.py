"""Test infrastructure shared by every app: private media, the S3 endpoint and a real worker.

PostgreSQL and Redis are used when DATABASE_URL and REDIS_URL are set (CI sets them);
otherwise SQLite and kombu's filesystem broker.
"""

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ENV", "test")

pytest_plugins = [
    "jobs.tests.fixtures",
    "accounts.tests.fixtures",
    "styles.tests.fixtures",
    "generation.tests.fixtures",
]

ROOT = Path(__file__).resolve().parent
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    from jobs import ml_loader

    settings.MEDIA_ROOT = tmp_path / "media"
    cache = dict(settings.CACHES["default"])
    cache["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": cache}
    ml_loader.clear()  # its keys are row ids, which the next test's rows reuse


@pytest.fixture
def stored_files(settings):
    """`stored_files(prefix="")`: the sorted names of the files in local media under `prefix`."""

    def names(prefix: str = "") -> list[str]:
        root = Path(settings.MEDIA_ROOT)
        found = (str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
        return sorted(name for name in found if name.startswith(prefix))

    return names


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's threaded server: a real HTTP S3 endpoint on loopback."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    def __init__(self, endpoint: str, name: str):
        import boto3

        self.endpoint, self.name = endpoint, name
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        )
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@pytest.fixture
def s3_bucket(s3_endpoint, settings):
    """Point Django's default storage at a fresh private bucket on the S3 endpoint."""
    bucket = Bucket(s3_endpoint, f"lookbook-{uuid.uuid4().hex[:12]}")
    bucket.client.create_bucket(Bucket=bucket.name)
    settings.STORAGE_BACKEND = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                "secret_key": S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": settings.MEDIA_URL_EXPIRY,
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    return bucket


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def worker_environment(settings, **extra: str) -> dict[str, str]:
    """The environment that makes a worker process see this test's database, broker and media."""
    environment = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STORAGE_BACKEND": settings.STORAGE_BACKEND,
        **extra,
    }
    if settings.STORAGE_BACKEND == "s3":
        options = settings.STORAGES["default"]["OPTIONS"]
        environment |= {
            "AWS_STORAGE_BUCKET_NAME": options["bucket_name"],
            "AWS_S3_ENDPOINT_URL": options["endpoint_url"],
            **S3_CREDENTIALS,
        }
    return environment


class WorkerProcess:
    """A real `celery worker` subprocess consuming both queues from the configured broker."""

    def __init__(self, environment: dict[str, str], log_path: Path):
        self.environment, self.log_path = environment, log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        from config.celery import solo_worker_command

        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            solo_worker_command(f"test-{uuid.uuid4().hex[:8]}"),
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.log_path.read_bytes():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"worker did not start:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def purge_queues() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        for queue in ("default", "gpu"):
            conn.default_channel.queue_purge(queue)


@pytest.fixture
def worker_factory(settings, tmp_path, transactional_db):
    """Start real worker processes; they see the test database because it is committed."""
    workers: list[WorkerProcess] = []

    def start(**extra_env: str) -> WorkerProcess:
        if not workers:
            purge_queues()
        worker = WorkerProcess(
            worker_environment(settings, **extra_env), tmp_path / f"worker-{len(workers)}.log"
        )
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker_process(worker_factory):
    return worker_factory()
