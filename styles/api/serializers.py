"""Catalog representations. Image fields are signed, expiring links (`field.url`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api import FileUrlField
from styles.models import Influencer, Look, ReferencePhoto, Tag


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name"]


class InfluencerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Influencer
        fields = ["slug", "name", "handle"]


class ReferencePhotoSerializer(serializers.ModelSerializer):
    thumbnail = FileUrlField()

    class Meta:
        model = ReferencePhoto
        fields = ["order", "thumbnail"]


class LookSerializer(serializers.ModelSerializer):
    influencer = InfluencerSummarySerializer(read_only=True)
    tags = TagSerializer(many=True, read_only=True)
    version = serializers.IntegerField(read_only=True)
    method = serializers.CharField(source="current_version.method", read_only=True)
    cover = FileUrlField()
    sample_before = FileUrlField()
    sample_after = FileUrlField()
    references = ReferencePhotoSerializer(many=True, read_only=True)
    cube_url = serializers.SerializerMethodField()

    class Meta:
        model = Look
        fields = [
            "slug",
            "name",
            "description",
            "influencer",
            "tags",
            "version",
            "method",
            "cover",
            "sample_before",
            "sample_after",
            "references",
            "cube_url",
            "updated",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_cube_url(self, look: Look) -> str:
        return reverse(
            "api-look-cube", kwargs={"slug": look.slug}, request=self.context.get("request")
        )


class LookSummarySerializer(serializers.ModelSerializer):
    tags = TagSerializer(many=True, read_only=True)
    version = serializers.IntegerField(read_only=True)
    cover = FileUrlField()

    class Meta:
        model = Look
        fields = ["slug", "name", "tags", "version", "cover"]


class InfluencerSerializer(serializers.ModelSerializer):
    avatar = FileUrlField()
    tags = TagSerializer(many=True, read_only=True)
    look_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Influencer
        fields = ["slug", "name", "handle", "bio", "avatar", "tags", "featured_order", "look_count"]


class InfluencerDetailSerializer(InfluencerSerializer):
    looks = LookSummarySerializer(many=True, read_only=True)

    class Meta(InfluencerSerializer.Meta):
        fields = [*InfluencerSerializer.Meta.fields, "looks"]
