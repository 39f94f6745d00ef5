from rest_framework.routers import SimpleRouter

from generation.api.photos import PhotoViewSet

router = SimpleRouter()
router.register("photos", PhotoViewSet, basename="photo")

urlpatterns = router.urls
