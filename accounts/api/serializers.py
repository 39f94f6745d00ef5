from rest_framework import serializers

from accounts.models import PreferenceProfile
from styles.models import Look


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key", read_only=True)


class PreferenceProfileSerializer(serializers.ModelSerializer):
    favourite_looks = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Look.objects.all(), required=False
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
