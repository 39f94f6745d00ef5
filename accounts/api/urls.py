from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import views

router = SimpleRouter()
router.register("me/tokens", views.DeviceViewSet, basename="api-token-device")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/signup/", views.SignUpView.as_view(), name="api-signup"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("me/profile/", views.ProfileView.as_view(), name="api-profile"),
    path("me/export/", views.ExportView.as_view(), name="api-export"),
    *router.urls,
]
