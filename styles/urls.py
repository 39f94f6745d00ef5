from django.urls import path

from styles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("looks/<slug:slug>/", views.look_detail, name="look-detail"),
]
