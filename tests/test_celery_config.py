"""Celery settings that make long GPU jobs safe to redeliver, and jobs sent only on commit."""

import json
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction

from config.celery import app
from generation import services, tasks
from generation.models import Job, JobKind


def test_a_message_is_acknowledged_only_after_its_task_finished():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_messages_are_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"
    assert list(app.conf.accept_content) == ["json"]


def test_visibility_timeout_outlasts_the_longest_task():
    """Otherwise Redis hands a still-running job's message to a second worker."""
    limits = [app.conf.task_time_limit] + [
        task.time_limit for name, task in app.tasks.items() if not name.startswith("celery.")
    ]
    longest = max(limit for limit in limits if limit)

    assert app.conf.broker_transport_options["visibility_timeout"] > longest


def test_every_task_has_a_time_limit_below_its_soft_limit_plus_slack():
    for name in ("generation.tasks.run_gpu_job", "generation.tasks.run_default_job"):
        task = app.tasks[name]
        assert 0 < task.soft_time_limit < task.time_limit


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [("generation.tasks.run_gpu_job", "gpu"), ("generation.tasks.run_default_job", "default")],
)
def test_tasks_are_routed_to_their_queue(task_name, queue):
    route = app.amqp.router.route({}, task_name)

    assert route["queue"].name == queue


def test_the_worker_consumes_both_queues_by_default():
    assert {queue.name for queue in app.conf.task_queues} == {"gpu", "default"}
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"


@pytest.mark.django_db
def test_a_job_is_sent_when_its_transaction_commits(user, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.run_gpu_job, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        job = Job.objects.create(owner=user, kind=JobKind.STYLIZE)
        services.enqueue(job)
        assert not delay.called

    delay.assert_called_once_with(str(job.id))
    job.refresh_from_db()
    assert job.enqueued_at is not None


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(user, django_capture_on_commit_callbacks):
    class Abort(Exception):
        pass

    with (
        mock.patch.object(tasks.run_gpu_job, "delay") as gpu_delay,
        mock.patch.object(tasks.run_default_job, "delay") as default_delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.enqueue(Job.objects.create(owner=user, kind=JobKind.STYLIZE))
        services.enqueue(Job.objects.create(owner=user, kind=JobKind.EXPORT))
        raise Abort

    assert callbacks == []
    assert not gpu_delay.called
    assert not default_delay.called
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
