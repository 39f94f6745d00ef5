from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/profile/", views.ProfileView.as_view(), name="api-profile"),
]
