"""Settings come from the environment; production refuses to start with a bad configuration.

A bad variable stops start-up with one line on stderr that names it, and no traceback.
"""

import json

import pytest

PRINT_SETTINGS = """
from django.conf import settings
import json
print(json.dumps({
    "debug": settings.DEBUG,
    "database": settings.DATABASES["default"]["ENGINE"],
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "storage": settings.STORAGES["default"]["BACKEND"],
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
}))
"""


def _single_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    ("variable", "change"),
    [
        ("SECRET_KEY", {"SECRET_KEY": None}),
        ("SECRET_KEY", {"SECRET_KEY": ""}),
        ("SECRET_KEY", {"SECRET_KEY": "x" * 49}),
        ("SECRET_KEY", {"SECRET_KEY": "ab" * 30}),
        ("ALLOWED_HOSTS", {"ALLOWED_HOSTS": None}),
        ("DATABASE_URL", {"DATABASE_URL": None}),
        ("REDIS_URL", {"REDIS_URL": None}),
        ("AWS_STORAGE_BUCKET_NAME", {"AWS_STORAGE_BUCKET_NAME": None}),
        ("AWS_SECRET_ACCESS_KEY", {"AWS_SECRET_ACCESS_KEY": None}),
        ("DJANGO_ENV", {"DJANGO_ENV": "staging"}),
        ("STORAGE_BACKEND", {"STORAGE_BACKEND": "ftp"}),
    ],
)
def test_production_start_up_names_the_missing_variable(
    run_django, production_environment, variable, change
):
    completed = run_django(args=["check"], env={**production_environment, **change})

    assert completed.returncode != 0
    line = _single_error_line(completed.stderr)
    assert line.startswith("Configuration error:")
    assert variable in line


def test_wsgi_start_up_with_a_missing_variable_is_one_line(run_django, production_environment):
    """gunicorn imports config.wsgi: a missing variable is the same one line there."""
    completed = run_django(
        code="import config.wsgi",
        env={**production_environment, "DATABASE_URL": None},
        setup=False,
    )

    assert completed.returncode != 0
    assert "DATABASE_URL" in _single_error_line(completed.stderr)


def test_production_with_every_variable_uses_the_real_services(run_django, production_environment):
    completed = run_django(code=PRINT_SETTINGS, env=production_environment)

    assert completed.returncode == 0, completed.stderr
    loaded = json.loads(completed.stdout)
    assert loaded == {
        "debug": False,
        "database": "django.db.backends.postgresql",
        "broker": production_environment["REDIS_URL"],
        "cache": "django.core.cache.backends.redis.RedisCache",
        "storage": "core.storage.PrivateS3Storage",
        "ssl_redirect": True,
    }


def test_development_defaults_need_no_server(run_django):
    completed = run_django(code=PRINT_SETTINGS, env={"DJANGO_ENV": "development"})

    assert completed.returncode == 0, completed.stderr
    loaded = json.loads(completed.stdout)
    assert loaded["debug"] is True
    assert loaded["database"] == "django.db.backends.sqlite3"
    assert loaded["broker"].startswith("filesystem://")
    assert loaded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["storage"] == "core.storage.PrivateFileSystemStorage"
