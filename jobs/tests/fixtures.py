"""Fixtures of the job engine, loaded by the root conftest for every app's tests."""

import time
from dataclasses import dataclass, field

import pytest

from jobs.models import Job

RUN_TASKS = ("jobs.tasks.run_gpu_job", "jobs.tasks.run_default_job")


@dataclass
class FakeBroker:
    """What the code sent by task name: every task, and the ids of the jobs sent to run."""

    tasks: list[tuple[str, tuple]] = field(default_factory=list)
    job_ids: list[str] = field(default_factory=list)

    def send_task(self, name: str, args=(), **options) -> None:
        self.tasks.append((name, tuple(args)))
        if name in RUN_TASKS:
            self.job_ids.append(args[0])


@pytest.fixture
def broker(monkeypatch) -> FakeBroker:
    """Tasks sent by name are recorded here instead of reaching a broker."""
    from config.celery import app

    fake = FakeBroker()
    monkeypatch.setattr(app, "send_task", fake.send_task)
    return fake


@pytest.fixture
def sent(broker) -> list[str]:
    """The job ids handed to Celery, instead of a broker."""
    return broker.job_ids


def wait_for_job(job_id, condition=lambda job: job.is_finished, timeout: float = 120) -> Job:
    """Poll the job row (the truth) until `condition(job)` holds; fail with its state after
    `timeout` seconds. For tests with a real worker process."""
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(id=job_id)
        if condition(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} stayed {job.status} at {job.progress}%: {job.error!r}")
        time.sleep(0.2)
