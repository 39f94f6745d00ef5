"""API v1 for photos: upload (one or several files), list, show and delete your own photos."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from config.api import ThrottleCreateOnly, error_responses
from generation import photos
from generation.models import Photo
from styles.api.serializers import FileUrlField


class PhotoSerializer(serializers.ModelSerializer):
    url = FileUrlField(source="original", help_text="Short-lived link to the original.")
    thumbnail_url = FileUrlField(source="thumbnail", help_text="Short-lived link (WebP).")
    original_available = serializers.SerializerMethodField(
        help_text="False once the original was deleted after your retention period."
    )

    class Meta:
        model = Photo
        fields = ["id", "width", "height", "url", "thumbnail_url", "created", "original_available"]
        read_only_fields = fields

    def get_original_available(self, photo: Photo) -> bool:
        return bool(photo.original)


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
    parser_classes = [MultiPartParser, FormParser]
    schema = PhotoSchema()

    def get_queryset(self):
        return photos.photos_for(self.request.user)

    @extend_schema(responses={200: PhotoSerializer(many=True), **error_responses(401)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: PhotoSerializer, **error_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=UPLOAD_REQUEST,
        responses={201: PhotoSerializer(many=True), **error_responses(400, 401, 413, 429)},
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
    def create(self, request, *args, **kwargs):
        uploaded = photos.upload_photos(request.user, request.FILES.getlist("image"))
        data = self.get_serializer([photo for photo, _created in uploaded], many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None, **error_responses(401, 404, 409)},
        description="Delete the photo, its results and their files. 409 while a job uses it.",
    )
    def destroy(self, request, *args, **kwargs):
        photos.delete_photo(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
