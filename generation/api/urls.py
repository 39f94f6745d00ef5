from rest_framework.routers import SimpleRouter

from generation.api import views

router = SimpleRouter()
router.register("photos", views.PhotoViewSet, basename="photo")
router.register("jobs", views.JobViewSet, basename="job")
router.register("results", views.ResultViewSet, basename="result")
router.register("adapters", views.AdapterViewSet, basename="adapter")
router.register("quick-tune", views.QuickTuneViewSet, basename="quick-tune")

urlpatterns = router.urls
