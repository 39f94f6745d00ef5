from rest_framework.routers import SimpleRouter

from generation.api.jobs import AdapterViewSet, JobViewSet, ResultViewSet

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")
router.register("results", ResultViewSet, basename="result")
router.register("adapters", AdapterViewSet, basename="adapter")

urlpatterns = router.urls
