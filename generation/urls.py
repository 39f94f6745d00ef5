from django.urls import path

from generation import views

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
    path("looks/<slug:slug>/personalize/", views.personalize, name="personalize"),
    path("looks/<slug:slug>/personalize/train/", views.adapter_train, name="adapter-train"),
    path(
        "looks/<slug:slug>/personalize/compare/",
        views.adapter_compare,
        name="adapter-compare",
    ),
    path("adapters/<uuid:adapter_id>/delete/", views.adapter_delete, name="adapter-delete"),
]
