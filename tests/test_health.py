"""`/healthz` reports the database, the broker and storage, and answers 503 when one fails."""

import json
import socket

import pytest
from botocore.config import Config

HEALTHZ_IN_A_NEW_PROCESS = """
import json
from django.test import Client

response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def closed_port() -> int:
    """A loopback port nobody listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def s3_storage(endpoint: str, bucket: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "testing",
            "secret_key": "testing",
            "client_config": Config(
                signature_version="s3v4", connect_timeout=2, retries={"max_attempts": 1}
            ),
        },
    }


@pytest.mark.django_db
def test_healthy_when_every_service_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthy_on_s3_storage(client, s3_bucket):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["storage"] == "ok"


@pytest.mark.django_db
def test_503_when_the_s3_endpoint_is_unreachable(client, settings):
    unreachable = f"http://127.0.0.1:{closed_port()}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(unreachable, "lookbook")}

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["storage"].startswith("failing: ")
    assert (body["database"], body["broker"]) == ("ok", "ok")


@pytest.mark.django_db
def test_503_when_the_bucket_is_missing(client, settings, s3_endpoint):
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_endpoint, "no-such-bucket")}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["storage"].startswith("failing: ")


def test_503_when_the_database_is_down(run_django):
    completed = run_django(
        code=HEALTHZ_IN_A_NEW_PROCESS,
        env={"DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/lookbook"},
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["status"] == 503
    assert report["body"]["status"] == "failing"
    assert report["body"]["database"] == "failing: OperationalError"
    assert (report["body"]["broker"], report["body"]["storage"]) == ("ok", "ok")


def test_503_when_the_broker_is_down(run_django):
    completed = run_django(
        code=HEALTHZ_IN_A_NEW_PROCESS,
        env={
            "DATABASE_URL": "sqlite://:memory:",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{closed_port()}/0",
        },
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["status"] == 503
    assert report["body"]["broker"].startswith("failing: ")
    assert (report["body"]["database"], report["body"]["storage"]) == ("ok", "ok")
