from rest_framework.routers import SimpleRouter

from styles.api import views

router = SimpleRouter()
router.register("influencers", views.InfluencerViewSet, basename="api-influencer")
router.register("looks", views.LookViewSet, basename="api-look")

urlpatterns = router.urls
