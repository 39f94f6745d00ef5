"""Fixtures for the cross-cutting tests: Django started in a fresh process with a given environment.

Settings are read once at import, so start-up behaviour (production checks, a database or broker
that is down, an import that must not happen) is tested in a subprocess.
"""

import os
import secrets
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Variables of the developer's or CI's shell that would leak into the process under test.
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "STORAGE_BACKEND",
    "MEDIA_ROOT",
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
)

RunDjango = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def production_environment() -> dict[str, str]:
    """Every variable production requires, with plausible values."""
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "lookbook.example.com",
        "DATABASE_URL": "postgres://lookbook:secret@db.example.com:5432/lookbook",
        "REDIS_URL": "redis://redis.example.com:6379/0",
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": "lookbook-media",
        "AWS_ACCESS_KEY_ID": "lookbook",
        "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30),
        "AWS_S3_ENDPOINT_URL": "https://s3.example.com",
    }


@pytest.fixture
def run_django(tmp_path) -> RunDjango:
    """Run Python code or `manage.py` arguments in a new process with exactly the given settings.

    `run_django(code=...)` runs code after `django.setup()`; `run_django(args=[...])` runs
    `manage.py`. Environment keywords replace the embedded defaults; a value of None unsets it.
    """

    def run(
        *,
        code: str | None = None,
        args: list[str] | None = None,
        env: dict[str, str | None] | None = None,
        setup: bool = True,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess:
        environment = {
            key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES
        }
        environment |= {
            "DJANGO_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOOKBOOK_VAR_DIR": str(tmp_path / "var"),
        }
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        if args is not None:
            command = [sys.executable, "manage.py", *args]
        else:
            prelude = "import django\ndjango.setup()\n" if setup else ""
            command = [sys.executable, "-c", prelude + textwrap.dedent(code or "")]
        return subprocess.run(
            command,
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
