from rest_framework import serializers

from accounts.models import PreferenceProfile
from core.api import FileUrlField, LinksExpireAtField, StrictModelSerializer
from jobs.models import Job
from styles.selectors import catalog_looks


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key", read_only=True)


class PreferenceProfileSerializer(StrictModelSerializer):
    favourite_looks = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=catalog_looks(), required=False
    )

    class Meta:
        model = PreferenceProfile
        fields = [
            "favourite_looks",
            "default_strength",
            "personalization_enabled",
            "result_long_side",
            "keep_originals_days",
        ]


class AccountDeletionSerializer(serializers.Serializer):
    password = serializers.CharField(
        style={"input_type": "password"},
        trim_whitespace=False,
        help_text="Your current password, to confirm.",
    )


class ExportJobSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text='Always "export".')
    status = serializers.CharField(read_only=True)
    output_url = FileUrlField(
        source="output",
        help_text="Short-lived link to the zip once the job succeeded; null before.",
    )
    expires_at = LinksExpireAtField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "error",
            "created",
            "output_url",
            "expires_at",
        ]
        read_only_fields = fields
