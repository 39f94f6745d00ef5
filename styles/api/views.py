"""Catalog API. Browsing is public (AllowAny): a mobile app shows the catalog before sign-in.

Only published, ready looks of published influencers exist here; anything else is a 404.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import renderers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny

from core.api import error_responses
from core.errors import NotFound
from styles import selectors
from styles.api.filters import LookFilter
from styles.api.serializers import (
    InfluencerDetailSerializer,
    InfluencerSerializer,
    LookSerializer,
)


class CubeRenderer(renderers.BaseRenderer):
    """Lets a client ask for `text/plain`; the file itself is streamed by a FileResponse."""

    media_type = "text/plain"
    format = "cube"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


@extend_schema_view(
    list=extend_schema(auth=[], responses={200: InfluencerSerializer(many=True)}),
    retrieve=extend_schema(
        auth=[], responses={200: InfluencerDetailSerializer, **error_responses(404)}
    ),
)
class InfluencerViewSet(viewsets.ReadOnlyModelViewSet):
    """Published influencers; the detail lists their published looks."""

    permission_classes = [AllowAny]
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        return selectors.published_influencers()

    def get_serializer_class(self):
        return InfluencerDetailSerializer if self.action == "retrieve" else InfluencerSerializer


@extend_schema_view(
    list=extend_schema(auth=[]),
    retrieve=extend_schema(auth=[], responses={200: LookSerializer, **error_responses(404)}),
)
class LookViewSet(viewsets.ReadOnlyModelViewSet):
    """Published, ready looks with their cover, before/after sample and reference thumbnails."""

    permission_classes = [AllowAny]
    serializer_class = LookSerializer
    lookup_field = "slug"
    filterset_class = LookFilter

    def get_queryset(self):
        return selectors.published_looks()

    @extend_schema(
        auth=[],
        # The file is the answer whatever `?format=` says: no parameter to document.
        parameters=[OpenApiParameter("format", exclude=True)],
        responses={
            (200, "text/plain"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "The current version as a 33-point 3D LUT: the colours the app renders at "
                    "strength 1. A LUT cannot hold the vignette or film grain."
                ),
            ),
            **error_responses(404),
        },
    )
    @action(
        detail=True,
        url_path="cube",
        url_name="cube",
        renderer_classes=[renderers.JSONRenderer, CubeRenderer],
        filter_backends=[],
    )
    def cube(self, request, slug=None):
        """Download the look's current version as a `.cube` 3D LUT (`<slug>.cube`)."""
        look = self.get_object()
        cube = look.current_version.cube
        if not cube or not default_storage.exists(cube.name):
            raise NotFound(_("This look has no LUT file."))
        return FileResponse(
            default_storage.open(cube.name, "rb"),
            as_attachment=True,
            filename=f"{look.slug}.cube",
            content_type="text/plain; charset=utf-8",
        )
