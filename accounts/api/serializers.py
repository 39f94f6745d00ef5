from rest_framework import serializers

from accounts.models import ApiToken, PreferenceProfile, User
from core.api import FileUrlField, LinksExpireAtField, StrictModelSerializer
from jobs.models import Job, JobStatus
from styles.selectors import catalog_looks

DEVICE_HELP = "A name for this device, shown in your list of signed-in devices."


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    device = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text=DEVICE_HELP
    )


class SignUpSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    device = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text=DEVICE_HELP
    )


class DeviceTokenSerializer(serializers.ModelSerializer):
    """A signed-in device. `id` is the token's first characters, never the whole token."""

    id = serializers.CharField(source="token_key", read_only=True)
    expires_at = serializers.DateTimeField(source="expiry", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "device", "created", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, token: ApiToken) -> bool:
        request = self.context.get("request")
        return getattr(request, "auth", None) == token


class IssuedTokenSerializer(DeviceTokenSerializer):
    """The new token, shown this once: send it as `Authorization: Token <token>`."""

    token = serializers.CharField(read_only=True)

    class Meta(DeviceTokenSerializer.Meta):
        fields = ["token", *DeviceTokenSerializer.Meta.fields]


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "date_joined"]
        read_only_fields = fields


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
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
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
