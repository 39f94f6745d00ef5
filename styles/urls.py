from django.urls import path

from styles import views

urlpatterns = [
    path("", views.home, name="home"),
]
