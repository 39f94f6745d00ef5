"""API v1 for photos, jobs, results and personal adapters. Views stay thin: the services decide."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ThrottleCreateOnly, error_responses
from core.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from core.parsers import MultiPartParser
from generation import selectors, services
from generation.api.serializers import (
    AdapterSerializer,
    FeedbackSerializer,
    JobCreateSerializer,
    JobSerializer,
    PhotoSerializer,
    ResultFilter,
    ResultSerializer,
)
from generation.models import PersonalAdapter, Photo, Result
from jobs import services as job_services
from jobs.models import Job, JobKind

UPLOAD_REQUEST = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "image": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "One or more images (JPEG, PNG, WebP or HEIC); repeat the field.",
            }
        },
        "required": ["image"],
    }
}


class PhotoSchema(AutoSchema):
    """An upload answers with a plain list of photos, not a page of them."""

    def _get_paginator(self):
        return None if self.method == "POST" else super()._get_paginator()


@extend_schema(tags=["photos"])
@extend_schema_view(
    list=extend_schema(responses={200: PhotoSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: PhotoSerializer, **error_responses(401, 404)}),
)
class PhotoViewSet(
    ThrottleCreateOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your photos. Uploads are re-encoded without metadata; other users' photos are 404."""

    serializer_class = PhotoSerializer
    queryset = Photo.objects.none()
    throttle_scope = "uploads"
    lookup_value_converter = "uuid"
    parser_classes = [MultiPartParser]
    schema = PhotoSchema()

    def get_queryset(self):
        return selectors.photos_for(self.request.user)

    @extend_schema(
        request=UPLOAD_REQUEST,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: PhotoSerializer(many=True),
            **error_responses(400, 401, 409, 413, 422, 429),
        },
        description=(
            "Upload up to 20 images in the `image` field. All files are checked before any is "
            "stored: one bad file rejects the request (400, or 413 when too large) and its "
            "message names the file's position. A file you uploaded before returns the "
            "existing photo. 429 when you upload too often."
        ),
        examples=[
            OpenApiExample(
                "Bad file in a batch",
                value={
                    "error": {
                        "code": "unsupported_type",
                        "message": "File 2: GIF is not supported. Upload a JPEG, PNG, WebP or "
                        "HEIC image.",
                        "fields": {"image": ["File 2: GIF is not supported. ..."]},
                    }
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        uploaded = services.upload_photos(request.user, request.FILES.getlist("image"))
        data = self.get_serializer([photo for photo, _created in uploaded], many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None, **error_responses(401, 404, 409)},
        description="Delete the photo, its results and their files. 409 while a job uses it.",
    )
    def destroy(self, request, *args, **kwargs):
        services.delete_photo(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["jobs"])
@extend_schema_view(
    list=extend_schema(responses={200: JobSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: JobSerializer, **error_responses(401, 404)}),
)
class JobViewSet(
    ThrottleCreateOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Your background jobs: stylize photos or train your personal adapter."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()
    throttle_scope = "jobs"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.jobs_for(self.request.user)

    @extend_schema(
        request=JobCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={202: JobSerializer, **error_responses(400, 401, 404, 409, 422, 429)},
        description="Queue a job. 404 for an unknown look, 400 for unknown photos or bad "
        "values, 429 for a quota: more photos than a job may take, too many jobs running, or "
        "today's compute used up (or when you create jobs too often).",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = JobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["kind"] == JobKind.STYLIZE:
            job = services.create_stylize_job(
                request.user,
                photo_ids=values["photos"],
                look_slug=values["look"],
                strength=values.get("strength"),
                use_adapter=values["use_adapter"],
            )
        else:
            job = services.create_adapter_job(
                request.user, look_slug=values["look"], photo_ids=values["photos"]
            )
        job = self.get_queryset().get(id=job.id)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: JobSerializer, **error_responses(401, 404, 409)})
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """Cancel a queued or running job. 409 if it already finished."""
        job = job_services.cancel(self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(id=job.id)).data)


@extend_schema(tags=["results"])
@extend_schema_view(
    list=extend_schema(responses={200: ResultSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: ResultSerializer, **error_responses(401, 404)}),
)
class ResultViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your stylized photos. Filter by `look` (slug), `favourite`, `job` or `rating`."""

    serializer_class = ResultSerializer
    queryset = Result.objects.none()
    filterset_class = ResultFilter
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.results_for(self.request.user)

    @extend_schema(responses={204: None, **error_responses(401, 404)})
    def destroy(self, request, *args, **kwargs):
        services.delete_result(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=FeedbackSerializer,
        responses={200: ResultSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, *args, **kwargs):
        """Rate (-1, 0, 1) and/or favourite a result; either field may be left out."""
        result = self.get_object()
        data = FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_feedback(result, **data.validated_data)
        return Response(self.get_serializer(result).data)


@extend_schema(tags=["adapters"])
@extend_schema_view(
    list=extend_schema(responses={200: AdapterSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: AdapterSerializer, **error_responses(401, 404)}),
)
class AdapterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal adapters, one per training run. Stylize jobs use the newest ready one."""

    serializer_class = AdapterSerializer
    queryset = PersonalAdapter.objects.none()
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.adapters_for(self.request.user)

    @extend_schema(responses={204: None, **error_responses(401, 404, 409)})
    def destroy(self, request, *args, **kwargs):
        """Delete an adapter and its file. 409 while it is still training."""
        services.delete_adapter(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
