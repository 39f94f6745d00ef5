"""Catalog services: references, build requests, the train_look handler, publishing."""

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.errors import Conflict, ServiceError
from core.tests.images import image_bytes
from core.tests.images import upload as upload_bytes
from jobs import services as job_services
from jobs.models import Job, JobKind
from styles import selectors, services
from styles.models import Look, LookStatus, ReferencePhoto
from styles.tests.factories import BuildJobFactory, InfluencerFactory, LookFactory


def upload(name: str, format: str = "PNG"):
    rgba = format == "PNG"
    colour = (200, 90, 40, 255) if rgba else (200, 90, 40)
    return upload_bytes(
        image_bytes((40, 30), colour, mode="RGBA" if rgba else "RGB", format=format), name
    )


# --- references ----------------------------------------------------------------------------


def test_references_are_re_encoded_jpegs_under_generated_names(db):
    look = LookFactory()
    added = services.add_references(look, [upload("My Holiday.png"), upload("b.jpg", "JPEG")])
    assert [reference.order for reference in added] == [0, 1]
    for reference in added:
        assert re.fullmatch(
            rf"catalog/looks/{look.id}/references/[0-9a-f]{{32}}\.jpg", reference.image.name
        )
        assert "Holiday" not in reference.image.name
        with default_storage.open(reference.image.name) as handle:
            assert Image.open(handle).format == "JPEG"
        with default_storage.open(reference.thumbnail.name) as handle:
            assert Image.open(handle).format == "WEBP"
    more = services.add_references(look, [upload("c.png")])
    assert more[0].order == 2


def test_one_bad_reference_rejects_the_batch_and_stores_nothing(stored_files, db):
    look = LookFactory()
    bad = SimpleUploadedFile("notes.png", b"this is not an image")
    with pytest.raises(ServiceError, match="File 2"):
        services.add_references(look, [upload("a.png"), bad])
    assert not ReferencePhoto.objects.filter(look=look).exists()
    assert stored_files(f"catalog/looks/{look.id}/") == []


def test_deleting_a_look_removes_its_files(
    stored_files, ready_look, django_capture_on_commit_callbacks
):
    folder = f"catalog/looks/{ready_look.id}/"
    assert len(stored_files(folder)) >= 8
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_look(ready_look)
    assert stored_files(folder) == []
    assert not Look.objects.filter(pk=ready_look.pk).exists()


# --- requesting a build ------------------------------------------------------------------------


def test_build_request_queues_a_train_look_job_owned_by_the_curator(
    draft_look, user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_look_build(draft_look, requested_by=user, method="trained")
    assert (job.kind, job.owner, job.look, job.params) == (
        JobKind.TRAIN_LOOK,
        user,
        draft_look,
        {"method": "trained"},
    )
    assert sent == [str(job.id)]
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.TRAINING


def test_build_request_needs_three_references(db, user, sent):
    look = LookFactory()
    services.add_references(look, [upload("a.png"), upload("b.png")])
    with pytest.raises(ServiceError, match="at least 3 reference photos"):
        services.request_look_build(look, requested_by=user)
    assert not Job.objects.exists()
    look.refresh_from_db()
    assert look.status == LookStatus.DRAFT


def test_second_build_request_is_refused_while_one_is_active(draft_look, user, sent):
    services.request_look_build(draft_look, requested_by=user)
    with pytest.raises(Conflict, match="already being built"):
        services.request_look_build(draft_look, requested_by=user, method="trained")
    assert Job.objects.filter(look=draft_look).count() == 1


def test_unknown_build_method_is_refused(draft_look, user):
    with pytest.raises(ServiceError, match="Unknown build method"):
        services.request_look_build(draft_look, requested_by=user, method="magic")


def test_rebuilding_a_published_look_keeps_it_ready_and_listed(ready_look, user, sent):
    services.request_look_build(ready_look, requested_by=user)
    ready_look.refresh_from_db()
    assert (ready_look.status, ready_look.is_published) == (LookStatus.READY, True)
    assert selectors.catalog_looks().filter(pk=ready_look.pk).exists()


# --- publishing ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [LookStatus.DRAFT, LookStatus.TRAINING, LookStatus.FAILED])
def test_only_a_ready_look_can_be_published(db, status):
    look = LookFactory(status=status)
    with pytest.raises(ServiceError, match="cannot be published"):
        services.publish(look)
    look.refresh_from_db()
    assert look.is_published is False


def test_publish_and_unpublish_a_ready_look(make_ready_look):
    look = make_ready_look(published=False)
    assert not selectors.catalog_looks().filter(pk=look.pk).exists()
    services.publish(look)
    assert selectors.catalog_looks().filter(pk=look.pk).exists()
    services.unpublish(look)
    look.refresh_from_db()
    assert look.is_published is False
    assert not selectors.catalog_looks().filter(pk=look.pk).exists()


def test_catalog_needs_the_influencer_published_too(make_ready_look):
    look = make_ready_look(influencer=InfluencerFactory(is_published=False))
    assert look.is_published
    assert not selectors.catalog_looks().filter(pk=look.pk).exists()
    assert not selectors.published_influencers().filter(pk=look.influencer_id).exists()
    services.set_influencer_published(look.influencer, True)
    assert selectors.catalog_looks().filter(pk=look.pk).exists()


def test_a_build_the_reaper_gives_up_on_fails_its_look(draft_look, user, settings):
    settings.JOB_MAX_ATTEMPTS = 1
    job = BuildJobFactory(
        look=draft_look, owner=user, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    Look.objects.filter(pk=draft_look.pk).update(status=LookStatus.TRAINING)
    job_services.reap_stale_jobs()
    draft_look.refresh_from_db()
    job.refresh_from_db()
    assert (draft_look.status, draft_look.error) == (LookStatus.FAILED, job.error)


def test_cancelling_a_queued_build_fails_a_look_without_versions(draft_look, user, sent):
    job = services.request_look_build(draft_look, requested_by=user)
    job_services.cancel(job)
    draft_look.refresh_from_db()
    assert (draft_look.status, draft_look.error) == (
        LookStatus.FAILED,
        "The build stopped. Please try again.",
    )


def test_cancelling_a_rebuild_keeps_the_look_ready(ready_look, user, sent):
    job_services.cancel(services.request_look_build(ready_look, requested_by=user))
    ready_look.refresh_from_db()
    assert ready_look.status == LookStatus.READY
