"""The production images and compose file: what runs where, as whom, with which configuration.

No Docker engine here: the files are read as data, the app environment that compose passes is
fed to Django's start-up, and `docker compose config` validates the file when the client exists.
"""

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DOCKER = Path(__file__).resolve().parent.parent / "docker"
APP_SERVICES = ("migrate", "web", "worker-gpu", "worker-default", "beat")
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def dockerfile(name: str) -> list[str]:
    """The instructions of a Dockerfile, continuation lines joined, comments dropped."""
    text = (DOCKER / name).read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def final_stage(lines: list[str]) -> list[str]:
    starts = [index for index, line in enumerate(lines) if line.startswith("FROM ")]
    return lines[starts[-1] :]


def interpolate(value: str, environment: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error} forms."""

    def replace(match: re.Match) -> str:
        name, op, arg = match.group("name", "op", "arg")
        if environment.get(name):
            return environment[name]
        if op == ":?":
            raise KeyError(f"{name}: {arg}")
        return arg if op == ":-" else ""

    return INTERPOLATION.sub(replace, value)


def test_web_image_is_slim_python_without_the_ml_extra():
    lines = dockerfile("Dockerfile.web")
    installs = [line for line in lines if "pip install" in line]

    assert all(line.startswith("FROM python:3.11-slim") for line in lines if "FROM" in line)
    assert installs
    assert not any("[ml" in line or "torch" in line for line in installs)
    assert any("compilemessages" in line for line in lines)
    assert any("collectstatic" in line for line in lines)


@pytest.mark.parametrize("name", ["Dockerfile.web", "Dockerfile.worker"])
def test_images_run_as_a_non_root_user(name):
    users = [line.split()[1] for line in final_stage(dockerfile(name)) if line.startswith("USER ")]

    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_worker_image_installs_the_ml_extra():
    lines = dockerfile("Dockerfile.worker")

    assert any("pip install" in line and "'.[ml]'" in line for line in lines)


@pytest.fixture
def run_role(tmp_path):
    """`run_role(role)`: the commands the entrypoint runs for a role, with stand-in programs."""
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("gunicorn", "celery", "python"):
        stub = bin_dir / program
        stub.write_text(f'#!/bin/sh\necho "{program} $*" >> {calls}\n')
        stub.chmod(0o755)

    def run(role: str) -> list[str]:
        calls.write_text("")
        environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "LOOKBOOK_VAR_DIR": "/app/var"}
        completed = subprocess.run(
            ["sh", str(DOCKER / "entrypoint.sh"), role],
            env=environment,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert completed.returncode == 0, completed.stderr
        return calls.read_text().splitlines()

    return run


def test_the_web_role_serves_gunicorn_on_all_interfaces(run_role):
    [command] = run_role("web")
    assert command.startswith("gunicorn config.wsgi --bind 0.0.0.0:8000 ")


def test_the_migrate_role_migrates_then_queues_the_rebuild_of_stale_looks(run_role):
    assert run_role("migrate") == [
        "python manage.py migrate --no-input",
        "python manage.py rebuild_stale_looks",
    ]


def test_the_gpu_worker_takes_one_job_at_a_time_from_the_gpu_queue(run_role, compose):
    [command] = run_role(compose["services"]["worker-gpu"]["command"][0])
    assert command.startswith("celery -A config worker -Q gpu -c 1 --pool solo ")


def test_the_default_worker_and_beat(run_role, compose):
    [worker] = run_role(compose["services"]["worker-default"]["command"][0])
    [beat] = run_role(compose["services"]["beat"]["command"][0])
    assert worker.startswith("celery -A config worker -Q default ")
    assert beat.startswith("celery -A config beat ")
    assert beat.endswith("--schedule /app/var/celerybeat-schedule")


def test_the_gpu_worker_reserves_one_nvidia_gpu(compose):
    devices = compose["services"]["worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]

    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    assert "deploy" not in compose["services"]["worker-default"]


def test_compose_has_every_service(compose):
    assert set(compose["services"]) == {
        "postgres",
        "redis",
        "minio",
        "minio-bucket",
        "migrate",
        *APP_SERVICES,
    }


@pytest.mark.parametrize("service", ["postgres", "redis", "minio", "web"])
def test_long_running_infrastructure_has_a_healthcheck(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


def test_app_services_wait_for_migrations_and_the_bucket(compose):
    for service in ("web", "worker-gpu", "worker-default", "beat"):
        depends_on = compose["services"][service]["depends_on"]
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}
        assert depends_on["minio-bucket"] == {"condition": "service_completed_successfully"}
        assert depends_on["postgres"] == {"condition": "service_healthy"}


def test_the_bucket_step_creates_a_private_bucket(compose):
    script = " ".join(compose["services"]["minio-bucket"]["command"])

    assert "mc mb --ignore-existing" in script
    assert "mc anonymous set none" in script


def test_app_services_share_one_production_configuration(compose):
    environments = [compose["services"][service]["environment"] for service in APP_SERVICES]
    shared = set.intersection(*(set(environment.items()) for environment in environments))

    assert ("DJANGO_ENV", "production") in shared
    assert ("STORAGE_BACKEND", "s3") in shared
    assert {name for name, _ in shared} >= {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_compose_environment_is_a_complete_production_configuration(
    compose, run_django, service
):
    """Each app container's environment, as compose fills it in, passes Django's start-up."""
    given = {"SECRET_KEY": secrets.token_urlsafe(50)}
    environment = {
        name: interpolate(str(value), given)
        for name, value in compose["services"][service]["environment"].items()
    }

    completed = run_django(args=["check", "--deploy"], env=environment)

    assert completed.returncode == 0, completed.stderr


def test_compose_refuses_to_start_without_a_secret_key(compose):
    with pytest.raises(KeyError, match="SECRET_KEY"):
        interpolate(compose["services"]["web"]["environment"]["SECRET_KEY"], {})


def _docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    return probe.returncode == 0


def test_docker_compose_config_accepts_the_file():
    if not _docker_compose_available():
        pytest.skip("the docker client with the compose plugin is not installed")
    completed = subprocess.run(
        ["docker", "compose", "-f", str(DOCKER / "compose.yaml"), "config", "--quiet"],
        env={**os.environ, "SECRET_KEY": secrets.token_urlsafe(50)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
