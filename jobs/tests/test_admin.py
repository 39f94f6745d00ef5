"""The admin lists jobs read-only and cancels them through the services."""

from jobs.models import JobStatus
from jobs.tests.factories import JobFactory


def test_job_pages_render(admin_client, user):
    job = JobFactory(owner=user, status=JobStatus.RUNNING)
    assert admin_client.get("/admin/jobs/job/").status_code == 200
    assert admin_client.get(f"/admin/jobs/job/{job.pk}/change/").status_code == 200


def test_cancel_action_cancels_active_jobs_only(admin_client, user):
    queued = JobFactory(owner=user)
    done = JobFactory(owner=user, status=JobStatus.SUCCEEDED)
    response = admin_client.post(
        "/admin/jobs/job/",
        {"action": "cancel_jobs", "_selected_action": [str(queued.pk), str(done.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"Cancelled 1 job." in response.content
    queued.refresh_from_db()
    done.refresh_from_db()
    assert (queued.status, done.status) == (JobStatus.CANCELLED, JobStatus.SUCCEEDED)
