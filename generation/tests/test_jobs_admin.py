"""The admin lists jobs, results, adapters and photos, and cancels jobs through the services."""

import pytest

from accounts.tests.factories import UserFactory
from generation.models import JobStatus


@pytest.fixture
def admin_client(client, db):
    curator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(curator)
    return client


def test_changelists_and_detail_pages_render(
    admin_client, user, job_look, make_job_result, make_adapter
):
    result = make_job_result(user, job_look)
    adapter = make_adapter(user, job_look)
    for model, row in [
        ("job", result.job),
        ("result", result),
        ("personaladapter", adapter),
        ("photo", result.photo),
    ]:
        listed = admin_client.get(f"/admin/generation/{model}/")
        assert listed.status_code == 200, model
        assert admin_client.get(f"/admin/generation/{model}/{row.pk}/change/").status_code == 200
    results_page = admin_client.get("/admin/generation/result/").content.decode()
    assert '<img src="' in results_page and 'class="lookbook-thumb"' in results_page
    assert "admin-look.css" in results_page
    assert ' style="' not in results_page.split('id="changelist"', 1)[1]


def test_cancel_action_cancels_active_jobs_only(admin_client, user, make_job):
    queued = make_job(user)
    done = make_job(user, status=JobStatus.SUCCEEDED)
    response = admin_client.post(
        "/admin/generation/job/",
        {"action": "cancel_jobs", "_selected_action": [str(queued.pk), str(done.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"Cancelled 1 job." in response.content
    queued.refresh_from_db()
    done.refresh_from_db()
    assert (queued.status, done.status) == (JobStatus.CANCELLED, JobStatus.SUCCEEDED)


def test_rows_cannot_be_deleted_from_the_admin(admin_client, user, job_look, make_job_result):
    result = make_job_result(user, job_look)
    response = admin_client.get(f"/admin/generation/result/{result.pk}/delete/")
    assert response.status_code == 403
