"""The curator's admin: actions, the build status block, previews and reference uploads."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tests.images import image_bytes, upload
from jobs.models import Job, JobKind
from styles.models import Look, LookStatus, ReferencePhoto
from styles.tests.factories import InfluencerFactory, LookFactory

CHANGELIST = "admin:styles_look_changelist"


pytestmark = pytest.mark.usefixtures("sent")  # jobs are queued without a broker


def run_action(client, action: str, looks):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [look.pk for look in looks]},
        follow=True,
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_encode_action_queues_a_zero_shot_build(admin_client, admin_user, draft_look):
    response = run_action(admin_client, "encode_looks", [draft_look])
    job = Job.objects.get(look=draft_look)
    assert (job.kind, job.owner, job.params) == (
        JobKind.TRAIN_LOOK,
        admin_user,
        {"method": "zero_shot"},
    )
    assert any("Queued a build" in text for text in message_texts(response))
    draft_look.refresh_from_db()
    assert draft_look.status == LookStatus.TRAINING


def test_train_action_reports_a_look_without_references(admin_client, db):
    look = LookFactory(name="Empty")
    response = run_action(admin_client, "train_looks", [look])
    assert not Job.objects.exists()
    assert any("needs at least 3 reference photos" in text for text in message_texts(response))


def test_publish_action_refuses_a_draft_with_a_message(admin_client, draft_look):
    response = run_action(admin_client, "publish_looks", [draft_look])
    draft_look.refresh_from_db()
    assert draft_look.is_published is False
    assert any("cannot be published" in text for text in message_texts(response))


def test_publish_and_unpublish_actions(admin_client, make_ready_look):
    look = make_ready_look(published=False)
    run_action(admin_client, "publish_looks", [look])
    look.refresh_from_db()
    assert look.is_published
    run_action(admin_client, "unpublish_looks", [look])
    look.refresh_from_db()
    assert not look.is_published


def test_changelist_searches_and_filters(admin_client, ready_look, draft_look):
    url = reverse(CHANGELIST)
    body = admin_client.get(url, {"q": ready_look.name}).content.decode()
    assert ready_look.name in body and draft_look.name not in body
    body = admin_client.get(url, {"status__exact": "draft"}).content.decode()
    assert draft_look.name in body and ready_look.name not in body
    body = admin_client.get(url, {"influencer__id__exact": draft_look.influencer_id})
    assert draft_look.name in body.content.decode()


def test_change_page_shows_status_block_previews_and_history(admin_client, ready_look):
    response = admin_client.get(reverse("admin:styles_look_change", args=[ready_look.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "admin-look-status.js" in body
    assert reverse("admin:styles_look_build_status", args=[ready_look.pk]) in body
    assert "Preview of version 1" in body
    assert body.count('class="lookbook-thumb"') >= 3  # reference thumbnails
    assert "version history" in body.lower()
    assert "<script>" not in body  # CSP allows no inline script


def test_build_status_fragment_follows_the_job(admin_client, admin_user, draft_look):
    url = reverse("admin:styles_look_build_status", args=[draft_look.pk])
    assert "not been built yet" in admin_client.get(url).content.decode()
    admin_client.post(
        reverse("admin:styles_look_build", args=[draft_look.pk]), {"method": "trained"}
    )
    job = Job.objects.get(look=draft_look)
    Job.objects.filter(pk=job.pk).update(status="running", progress=40)
    body = admin_client.get(url).content.decode()
    assert 'data-active="true"' in body
    assert "40%" in body and "trained" in body


def test_build_button_refuses_a_second_build(admin_client, draft_look):
    url = reverse("admin:styles_look_build", args=[draft_look.pk])
    admin_client.post(url, {"method": "zero_shot"})
    response = admin_client.post(url, {"method": "zero_shot"}, follow=True)
    assert Job.objects.filter(look=draft_look).count() == 1
    assert any("already being built" in text for text in message_texts(response))


def png(colour):
    return upload(image_bytes((32, 24), colour, format="PNG"), "photo.png", "image/png")


def add_form_data(influencer, **extra) -> dict:
    return {
        "influencer": influencer.pk,
        "name": "Harbour Blue",
        "slug": "harbour-blue",
        "description": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        **extra,
    }


def test_adding_a_look_with_several_reference_photos(admin_client, db):
    influencer = InfluencerFactory()
    files = [png((200, 40 * index, 90)) for index in range(3)]
    response = admin_client.post(
        reverse("admin:styles_look_add"), add_form_data(influencer, new_references=files)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    look = Look.objects.get(slug="harbour-blue")
    assert look.references.count() == 3
    assert all(ref.image.name.endswith(".jpg") for ref in look.references.all())


def test_a_bad_reference_upload_is_a_form_error(admin_client, db):
    influencer = InfluencerFactory()
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = admin_client.post(
        reverse("admin:styles_look_add"),
        add_form_data(influencer, new_references=[png((1, 2, 3)), bad]),
    )
    assert response.status_code == 200
    assert "File 2: This file is not a supported image" in response.content.decode()
    assert not Look.objects.exists()
    assert not ReferencePhoto.objects.exists()


def test_influencer_admin_search(admin_client, db):
    InfluencerFactory(name="Mira Solenne")
    InfluencerFactory(name="Kai Okafor")
    body = admin_client.get(reverse("admin:styles_influencer_changelist"), {"q": "mira"})
    text = body.content.decode()
    assert "Mira Solenne" in text and "Kai Okafor" not in text


def change_form_data(look: Look, **extra) -> dict:
    """The change form as the browser posts it, with every inline row unchanged."""
    references = list(look.references.all())
    versions = list(look.versions.all())
    data = {
        "influencer": look.influencer_id,
        "name": look.name,
        "slug": look.slug,
        "description": look.description,
        "references-TOTAL_FORMS": str(len(references)),
        "references-INITIAL_FORMS": str(len(references)),
        "versions-TOTAL_FORMS": str(len(versions)),
        "versions-INITIAL_FORMS": str(len(versions)),
        "_continue": "1",
    }
    for index, reference in enumerate(references):
        data |= {
            f"references-{index}-id": reference.pk,
            f"references-{index}-look": look.pk,
            f"references-{index}-order": reference.order,
        }
    for index, version in enumerate(versions):
        data |= {f"versions-{index}-id": version.pk, f"versions-{index}-look": look.pk}
    return data | extra


def test_deleting_a_reference_inline_removes_its_files(
    admin_client, ready_look, django_capture_on_commit_callbacks
):
    doomed = ready_look.references.first()
    names = [doomed.image.name, doomed.thumbnail.name]
    url = reverse("admin:styles_look_change", args=[ready_look.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, change_form_data(ready_look, **{"references-0-DELETE": "on"})
        )
    assert response.status_code == 302
    assert ready_look.references.count() == 2
    assert not any(default_storage.exists(name) for name in names)


def test_adding_references_on_the_change_page_appends_them(admin_client, ready_look):
    url = reverse("admin:styles_look_change", args=[ready_look.pk])
    files = [png((10, 200, 30)), png((30, 10, 200))]
    response = admin_client.post(
        url, change_form_data(ready_look, new_references=files), follow=True
    )
    assert response.status_code == 200
    assert [ref.order for ref in ready_look.references.all()] == [0, 1, 2, 3, 4]
    assert any("Added 2 reference photos" in text for text in message_texts(response))


def test_add_page_offers_the_multi_file_field(admin_client, db):
    body = admin_client.get(reverse("admin:styles_look_add")).content.decode()
    assert 'name="new_references"' in body and "multiple" in body
    assert "lookbook-build-status" not in body
