from django.urls import include, path

urlpatterns = [
    path("", include("generation.api.photo_urls")),
    path("", include("generation.api.job_urls")),
]
