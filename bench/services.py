"""The services a benchmark run needs: its own database, gunicorn and a Celery worker."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lookbook_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"


class BenchError(RuntimeError):
    """A service the benchmark needs is missing or did not start."""


def environment(database_url: str, redis_url: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, Redis cache and broker, local media."""
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "STORAGE_BACKEND": "local",
        "LOOKBOOK_VAR_DIR": str(OUTPUT_DIR / "var"),
        "MEDIA_ROOT": str(OUTPUT_DIR / "var" / "media"),
        "LOG_LEVEL": "WARNING",
        "ML_DEVICE": "cpu",
        # One user uploads and queues many times in a run; the rates are not what is measured.
        "THROTTLE_UPLOADS": "100000/hour",
        "THROTTLE_JOBS": "100000/hour",
    }


def recreate_database(database_url: str) -> None:
    """Drop and create the benchmark database, so every run starts from the same rows."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        raise BenchError(f"refusing to recreate {name!r}: the database name must end in _bench")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL is not reachable at {admin_url}: {exc}") from exc


def flush_redis(redis_url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).flushdb()
    except redis.RedisError as exc:
        raise BenchError(f"Redis is not reachable at {redis_url}: {exc}") from exc


def manage(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log_path: Path) -> Iterator[str]:
    """Serve config.wsgi on a loopback port; yields the base URL once /healthz answers 200."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--backlog",
                "256",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_for_health(base_url, process, log_path)
            yield base_url
        finally:
            _stop(process)


def _wait_for_health(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise BenchError(f"gunicorn did not become healthy:\n{log_path.read_text()[-3000:]}")


@contextmanager
def celery_worker(env: dict[str, str], log_path: Path) -> Iterator[None]:
    """One solo worker on both queues, on CPU, as `make run` starts it."""
    from config.celery import solo_worker_command

    with log_path.open("wb") as log:
        process = subprocess.Popen(
            solo_worker_command(f"bench-{secrets.token_hex(4)}"),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while b" ready." not in log_path.read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise BenchError(f"worker did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.3)
            yield
        finally:
            _stop(process)
