from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health, media

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("styles.api.urls")),
    path("", include("generation.api.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("media/<str:token>", media.serve, name="private-media"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("", include("generation.urls")),
    path("", include("styles.urls")),
]

handler400 = "config.views.bad_request"
handler404 = "config.views.not_found"
handler403 = "config.views.permission_denied"
handler500 = "config.views.server_error"
