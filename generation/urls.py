from django.urls import path

from generation import personal_views, views

urlpatterns = [
    path("photos/", views.photo_list, name="photos"),
    path("photos/upload/", views.photo_upload, name="photo-upload"),
    path("photos/<uuid:photo_id>/delete/", views.photo_delete, name="photo-delete"),
    path("stylize/", views.stylize, name="stylize"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:job_id>/", views.job_card, name="job-card"),
    path("jobs/<uuid:job_id>/cancel/", views.job_cancel, name="job-cancel"),
    path("jobs/<uuid:job_id>/export.zip", views.export_download, name="export-download"),
    path("gallery/", views.gallery, name="gallery"),
    path("results/<uuid:result_id>/", views.result_detail, name="result"),
    path("results/<uuid:result_id>/download/", views.result_download, name="result-download"),
    path("results/<uuid:result_id>/feedback/", views.result_feedback, name="result-feedback"),
    path("results/<uuid:result_id>/delete/", views.result_delete, name="result-delete"),
    path("looks/<slug:slug>/", views.look_detail, name="look-detail"),
    path("results/<uuid:result_id>/edit/", personal_views.result_edit, name="result-edit"),
    path(
        "results/<uuid:result_id>/copy-edits/",
        personal_views.result_copy_edits,
        name="result-copy-edits",
    ),
    path("looks/<slug:slug>/personalize/", personal_views.personalize, name="personalize"),
    path(
        "looks/<slug:slug>/personalize/train/", personal_views.adapter_train, name="adapter-train"
    ),
    path(
        "looks/<slug:slug>/personalize/reset/", personal_views.adapter_reset, name="adapter-reset"
    ),
    path("looks/<slug:slug>/quick-tune/", personal_views.quick_tune, name="quick-tune"),
    path(
        "looks/<slug:slug>/quick-tune/start/",
        personal_views.quick_tune_start,
        name="quick-tune-start",
    ),
    path(
        "quick-tune/<uuid:question_id>/answer/",
        personal_views.quick_tune_answer,
        name="quick-tune-answer",
    ),
    path(
        "adapters/<uuid:adapter_id>/intensity/",
        personal_views.adapter_intensity,
        name="adapter-intensity",
    ),
    path(
        "adapters/<uuid:adapter_id>/revert/", personal_views.adapter_revert, name="adapter-revert"
    ),
    path(
        "adapters/<uuid:adapter_id>/delete/", personal_views.adapter_delete, name="adapter-delete"
    ),
]
