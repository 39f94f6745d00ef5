"""How jobs travel through Celery: sent only on commit, to the queue of their kind, as JSON, and
never handed to a second worker while the first one still runs them.
"""

import json
from pathlib import Path

import pytest
from django.db import transaction
from kombu.exceptions import EncodeError

from config.celery import app
from jobs import services as job_services
from jobs import tasks
from jobs.models import Job, JobKind
from jobs.tests.factories import JobFactory


def _task_limits() -> list[tuple[str, float | None, float | None]]:
    return [
        (name, task.soft_time_limit, task.time_limit)
        for name, task in app.tasks.items()
        if not name.startswith("celery.")
    ]


def test_visibility_timeout_outlasts_the_longest_task():
    """Otherwise Redis hands a still-running job's message to a second worker."""
    longest = max([app.conf.task_time_limit] + [hard for _, _, hard in _task_limits() if hard])
    assert app.conf.broker_transport_options["visibility_timeout"] > longest


def test_every_task_is_warned_before_it_is_killed():
    for name, soft, hard in _task_limits():
        assert soft and hard and soft < hard, name


@pytest.mark.parametrize(
    ("kind", "queue"),
    [
        (JobKind.STYLIZE, "gpu"),
        (JobKind.TRAIN_ADAPTER, "gpu"),
        (JobKind.TRAIN_LOOK, "gpu"),
        (JobKind.EXPORT, "default"),
    ],
)
def test_a_job_goes_to_the_queue_of_its_kind(
    user, broker, kind, queue, django_capture_on_commit_callbacks
):
    job = JobFactory(owner=user, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        job_services.enqueue(job)
    [(task_name, args)] = broker.tasks
    assert args == (str(job.id),)
    assert app.amqp.router.route({}, task_name)["queue"].name == queue
    assert task_name in app.tasks


def test_messages_carry_json_only(db):
    with pytest.raises(EncodeError):
        tasks.run_default_job.apply_async(args=[object()])


@pytest.mark.django_db
def test_a_job_is_sent_when_its_transaction_commits(
    user, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        job = Job.objects.create(owner=user, kind=JobKind.STYLIZE)
        job_services.enqueue(job)
        assert broker.job_ids == []

    assert broker.job_ids == [str(job.id)]
    job.refresh_from_db()
    assert job.enqueued_at is not None


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(
    user, broker, django_capture_on_commit_callbacks
):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        job_services.enqueue(Job.objects.create(owner=user, kind=JobKind.STYLIZE))
        job_services.enqueue(Job.objects.create(owner=user, kind=JobKind.EXPORT))
        raise Abort

    assert callbacks == []
    assert broker.tasks == []
    assert not Job.objects.exists()


def test_the_embedded_broker_keeps_every_folder_under_var(run_django, tmp_path):
    """kombu's filesystem transport would otherwise write ./control into the repository."""
    completed = run_django(
        code="""
        import json
        from config.celery import app
        print(json.dumps(app.conf.broker_transport_options))
        """,
        env={"DJANGO_ENV": "development", "LOOKBOOK_VAR_DIR": str(tmp_path / "var")},
    )

    assert completed.returncode == 0, completed.stderr
    options = json.loads(completed.stdout.strip().splitlines()[-1])
    folders = {key: value for key, value in options.items() if key.endswith("_folder")}
    assert set(folders) >= {"control_folder", "processed_folder"}
    for folder in folders.values():
        assert Path(folder).is_relative_to(tmp_path / "var")
        assert Path(folder).is_dir()
