from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from core.strength import MAX_STRENGTH


class User(AbstractUser):
    """A Lookbook user. Quota fields left empty use the defaults from settings."""

    quota_concurrent_jobs = models.PositiveIntegerField(_("concurrent jobs"), null=True, blank=True)
    quota_photos_per_job = models.PositiveIntegerField(_("photos per job"), null=True, blank=True)
    quota_daily_compute_seconds = models.PositiveIntegerField(
        _("daily compute seconds"), null=True, blank=True
    )

    def quota(self, name: str) -> int:
        """The user's own limit for `name` ("concurrent_jobs", ...) or the site default."""
        own = getattr(self, f"quota_{name}")
        return own if own is not None else getattr(settings, f"QUOTA_{name.upper()}")

    def preference_profile(self) -> "PreferenceProfile":
        """The user's profile, created on first use for users made outside sign-up (admin, shell).

        A method of the user, so every layer that holds a user reads it without importing
        accounts.
        """
        profile, _created = PreferenceProfile.objects.get_or_create(user=self)
        return profile


class ResultSize(models.IntegerChoices):
    MEDIUM = 1024, _("1024 px")
    LARGE = 2048, _("2048 px")
    ORIGINAL = 0, _("Original size")


class PreferenceProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    favourite_looks = models.ManyToManyField(
        "styles.Look", blank=True, related_name="+", verbose_name=_("favourite looks")
    )
    default_strength = models.FloatField(
        _("default strength"),
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(MAX_STRENGTH)],
    )
    personalization_enabled = models.BooleanField(_("personalization"), default=True)
    result_long_side = models.PositiveIntegerField(
        _("long side of results"), choices=ResultSize.choices, default=ResultSize.LARGE
    )
    keep_originals_days = models.PositiveIntegerField(
        _("days to keep originals"), default=0, help_text=_("0 keeps them forever.")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_strength__gte=0)
                & models.Q(default_strength__lte=MAX_STRENGTH),
                name="profile_strength_range",
            )
        ]

    def __str__(self) -> str:
        return f"profile of {self.user}"


class ApiToken(AbstractAuthToken):
    """One signed-in device's API token (django-rest-knox): stored as a digest, expiring, and
    revocable on its own. `token_key` (the token's first characters) names it to its owner."""

    device = models.CharField(_("device"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created"]
