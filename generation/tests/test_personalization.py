"""A person's taste through the services and API v1: edits, evidence, adapters, quick tune."""

import pytest
from django.utils import translation

from generation import personalization, selectors, services
from generation.models import PersonalAdapter, QuickTuneQuestion, Result
from generation.taste import evidence_for, summary
from generation.tests.factories import PersonalAdapterFactory, ResultFactory
from jobs import runner
from jobs.models import Job, JobKind, JobStatus
from styles.tests.factories import LookFactory

pytestmark = pytest.mark.usefixtures("sent")
API = "/api/v1"


# --- units -------------------------------------------------------------------------------------


def test_summary_names_the_largest_changes_first():
    taste = {"temperature": 20.0, "exposure": 0.15, "saturation": -40.0, "tint": 1.0}
    assert summary(taste) == "Much less saturated, warmer, a little brighter than the look"
    assert summary({}) == "The same as the look: nothing learnt to change yet."


def test_summary_is_translated():
    with translation.override("zh-hans"):
        assert "比" in summary({"temperature": 20.0})


def test_evidence_weighs_the_last_edit_of_each_chain_favourites_and_answers(user, catalog_look):
    first = ResultFactory(owner=user, look=catalog_look, rating=-1, applied_edits={"fade": 9.0})
    second = ResultFactory(owner=user, look=catalog_look, edited_from=first, edits={"tint": 3.0})
    ResultFactory(owner=user, look=catalog_look, edited_from=second, edits={"tint": 6.0})
    ResultFactory(owner=user, look=catalog_look, favourite=True)
    ResultFactory(owner=user, look=catalog_look)  # nothing said about it
    ResultFactory(owner=user, rating=1)  # another look
    QuickTuneQuestion.objects.create(owner=user, look=catalog_look, a={}, b={}, winner=1)
    QuickTuneQuestion.objects.create(owner=user, look=catalog_look, a={}, b={})  # unanswered

    evidence = evidence_for(user, catalog_look)

    assert evidence.edited == [{"tint": 6.0}]
    assert sorted(rating for _edits, rating in evidence.ratings) == [-1, 1]
    assert ({"fade": 9.0}, -1) in evidence.ratings
    assert evidence.pairs == [({}, {}, 1)]


def test_an_adapter_is_used_only_with_enough_evidence(user, catalog_look):
    PersonalAdapterFactory(owner=user, look=catalog_look, evidence={"ratings": 2, "weight": 2.0})
    assert selectors.adapter_for(user, catalog_look) is None
    heavy = PersonalAdapterFactory(
        owner=user, look=catalog_look, evidence={"ratings": 3, "weight": 3.0}
    )
    assert selectors.adapter_for(user, catalog_look) == heavy


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "edits, message",
    [
        ({"exposure": 3}, "Exposure (exposure) must be a number from -2 to 2."),
        ({"fade": -1}, "Fade (fade) must be a number from 0 to 100."),
        ({"contrast": "high"}, "Contrast (contrast) must be a number from -100 to 100."),
        ({"saturation": True}, "Saturation (saturation) must be a number from -100 to 100."),
        ({"vibrance": 10}, "Unknown edit control “vibrance”"),
        ([1, 2], "Edits must be an object"),
    ],
)
def test_bad_edits_are_400_naming_the_field(api_client, user, catalog_look, edits, message):
    result = ResultFactory(owner=user, look=catalog_look)
    responses = [
        api_client.post(
            f"{API}/jobs/",
            {"kind": "stylize", "photos": [str(result.photo_id)], "look": catalog_look.slug,
             "edits": edits},
            format="json",
        ),
        api_client.post(f"{API}/results/{result.id}/edit/", {"edits": edits}, format="json"),
    ]  # fmt: skip
    for response in responses:
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert message in error["message"]
        assert list(error["fields"]) == ["edits"]
    assert not Job.objects.exclude(id=result.job_id).exists()


def test_stylize_accepts_edits_and_editing_a_result_queues_its_copy(api_client, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look, strength=0.6)
    created = api_client.post(
        f"{API}/jobs/",
        {"kind": "stylize", "photos": [str(result.photo_id)], "look": catalog_look.slug,
         "edits": {"temperature": 10}},
        format="json",
    )  # fmt: skip
    assert created.json()["edits"]["temperature"] == 10.0

    edited = api_client.post(
        f"{API}/results/{result.id}/edit/", {"edits": {"exposure": -0.5}}, format="json"
    )
    assert edited.status_code == 202, edited.content
    job = Job.objects.get(id=edited.json()["id"])
    assert (job.look_version, job.adapter, job.params["strength"]) == (
        result.look_version,
        None,
        0.6,
    )
    assert job.params["edited_from"] == {str(result.photo_id): str(result.id)}


def test_training_for_a_look_outside_the_catalog_is_404(api_client, user):
    hidden = LookFactory(ready=True, is_published=False)
    ResultFactory(owner=user, look=hidden, rating=1)
    response = api_client.post(
        f"{API}/jobs/", {"kind": "train_adapter", "look": hidden.slug}, format="json"
    )
    assert response.status_code == 404


def test_adapters_show_evidence_intensity_summary_and_version(api_client, user, catalog_look):
    adapter = PersonalAdapterFactory(
        owner=user, look=catalog_look, version=2, taste={"temperature": 20.0}
    )
    body = api_client.get(f"{API}/adapters/{adapter.id}/").json()
    assert body["version"] == 2 and body["active"] is True and body["intensity"] == 1.0
    assert body["summary"] == "Warmer than the look"
    assert body["evidence"] == {"edits": 1, "ratings": 0, "pairs": 0, "weight": 3.0}

    patched = api_client.patch(f"{API}/adapters/{adapter.id}/", {"intensity": 0.3}, format="json")
    assert patched.json()["intensity"] == 0.3
    for bad in (1.5, -0.1, "lots", None):
        response = api_client.patch(
            f"{API}/adapters/{adapter.id}/", {"intensity": bad}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["intensity"]


def test_reverting_makes_a_copy_of_an_earlier_version_the_newest(api_client, user, catalog_look):
    old = PersonalAdapterFactory(owner=user, look=catalog_look, version=1, taste={"fade": 10.0})
    newest = PersonalAdapterFactory(owner=user, look=catalog_look, version=2, intensity=0.4)

    response = api_client.post(f"{API}/adapters/{newest.id}/revert/", {"version": 1}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["version"], body["reverted_from"], body["taste"]) == (3, 1, {"fade": 10.0})
    assert body["intensity"] == 0.4
    restored = PersonalAdapter.objects.get(id=body["id"])
    assert restored.file.name != old.file.name and restored.file.read() == b"weights"
    assert selectors.adapter_for(user, catalog_look) == restored
    for version in (9, "one"):
        bad = api_client.post(
            f"{API}/adapters/{newest.id}/revert/", {"version": version}, format="json"
        )
        assert bad.status_code == 400
        assert list(bad.json()["error"]["fields"]) == ["version"]


def test_reset_deletes_every_version_and_file(
    user, catalog_look, django_capture_on_commit_callbacks
):
    versions = [PersonalAdapterFactory(owner=user, look=catalog_look) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        assert personalization.reset_adapter(user, catalog_look) == 2
    assert not PersonalAdapter.objects.exists()
    assert not any(v.file.storage.exists(v.file.name) for v in versions)


def test_quick_tune_questions_through_the_api(api_client, user, catalog_look):
    opened = api_client.post(f"{API}/quick-tune/", {"look": catalog_look.slug}, format="json")
    assert opened.status_code == 200
    assert opened.json()["ready"] is False
    question = QuickTuneQuestion.objects.get(id=opened.json()["id"])
    assert question.job.kind == JobKind.QUICK_TUNE
    again = api_client.post(f"{API}/quick-tune/", {"look": catalog_look.slug}, format="json")
    assert again.json()["id"] == str(question.id)  # one open question per look

    url = f"{API}/quick-tune/{question.id}/answer/"
    assert api_client.post(url, {"winner": 0}, format="json").status_code == 409  # not ready

    runner.run(question.job_id)  # ml.next_pair on the worker
    question.refresh_from_db()
    assert question.job.status == JobStatus.SUCCEEDED
    assert question.a["temperature"] < question.b["temperature"]
    assert api_client.post(url, {"winner": 2}, format="json").status_code == 400
    answered = api_client.post(url, {"winner": 1}, format="json")
    assert answered.status_code == 200
    assert answered.json()["id"] != str(question.id)
    assert api_client.post(url, {"winner": 1}, format="json").status_code == 409
    assert api_client.post(f"{API}/quick-tune/", {"look": "nope"}, format="json").status_code == 404
    assert evidence_for(user, catalog_look).pairs == [(question.a, question.b, 1)]


def test_a_stylized_result_records_what_was_applied(user, make_ready_look, tmp_path):
    import ml

    look = make_ready_look()
    ml.Adapter({"temperature": 20.0}, {"edits": 1}).save(tmp_path / "adapter.safetensors")
    adapter = PersonalAdapterFactory(
        owner=user, look=look, version=1, intensity=0.5,
        content=(tmp_path / "adapter.safetensors").read_bytes(),
    )  # fmt: skip
    source = ResultFactory(owner=user, look=look)
    job = services.create_stylize_job(
        user, photo_ids=[source.photo_id], look_slug=look.slug, strength=0.8,
        edits={"exposure": 0.5},
    )  # fmt: skip
    runner.run(job.id)
    result = Result.objects.get(job=job)
    assert (result.strength, result.adapter, result.adapter_version) == (0.8, adapter, 1)
    assert result.adapter_intensity == 0.5
    assert result.edits["exposure"] == 0.5 and result.edits["temperature"] == 0.0
    assert result.applied_edits["temperature"] == 10.0


def test_one_contradictory_rating_trains_an_adapter_that_changes_nothing(user, catalog_look):
    ResultFactory(owner=user, look=catalog_look, rating=-1)
    job = personalization.create_adapter_job(user, look_slug=catalog_look.slug)
    runner.run(job.id)
    adapter = PersonalAdapter.objects.get(job=job)
    assert adapter.evidence == {"edits": 0, "ratings": 1, "pairs": 0, "weight": 1.0}
    assert max(abs(value) for value in adapter.taste.values()) <= 0.1 * 100  # ml.taste's bound
    assert selectors.adapter_for(user, catalog_look) is None  # not used below weight 3
    photo = ResultFactory(owner=user, look=catalog_look).photo
    stylize = services.create_stylize_job(user, photo_ids=[photo.id], look_slug=catalog_look.slug)
    assert stylize.adapter is None


def test_the_data_export_holds_edits_tastes_and_answers(user, catalog_look):
    from accounts import export

    source = ResultFactory(owner=user, look=catalog_look)
    edited = ResultFactory(owner=user, look=catalog_look, edited_from=source, edits={"fade": 5.0})
    PersonalAdapterFactory(owner=user, look=catalog_look, taste={"tint": 4.0})
    QuickTuneQuestion.objects.create(owner=user, look=catalog_look, a={}, b={"fade": 9.0}, winner=1)

    data = export.export_data(user, [], [edited])

    [result] = data["results"]
    assert (result["edits"], result["edited_from"]) == ({"fade": 5.0}, source.id)
    assert data["adapters"][0]["taste"] == {"tint": 4.0}
    assert data["quick_tune_answers"][0]["b"] == {"fade": 9.0}


def test_a_question_whose_job_failed_is_prepared_again(user, catalog_look):
    question = personalization.open_question(user, catalog_look.slug)
    Job.objects.filter(id=question.job_id).update(status=JobStatus.FAILED)
    again = personalization.open_question(user, catalog_look.slug)
    assert again.id != question.id and again.job.status == JobStatus.QUEUED
    assert not QuickTuneQuestion.objects.filter(id=question.id).exists()
