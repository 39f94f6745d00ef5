from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MIN_REFERENCES = 3  # a look is built from at least this many reference photos


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Influencer(models.Model):
    name = models.CharField(_("name"), max_length=120)
    handle = models.CharField(_("handle"), max_length=60, blank=True)
    slug = models.SlugField(unique=True)
    bio = models.TextField(_("bio"), blank=True)
    avatar = models.ImageField(_("avatar"), blank=True, max_length=255)
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="influencers", verbose_name=_("tags")
    )
    is_published = models.BooleanField(_("published"), default=False)
    featured_order = models.PositiveSmallIntegerField(
        _("featured order"), null=True, blank=True, help_text=_("Empty means not featured.")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [F("featured_order").asc(nulls_last=True), "name"]
        verbose_name = _("influencer")
        verbose_name_plural = _("influencers")

    def __str__(self) -> str:
        return self.name


class LookStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Look(models.Model):
    influencer = models.ForeignKey(Influencer, on_delete=models.CASCADE, related_name="looks")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("description"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="looks", verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=10, choices=LookStatus.choices, default=LookStatus.DRAFT
    )
    is_published = models.BooleanField(_("published"), default=False)
    current_version = models.ForeignKey(
        "LookVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cover = models.ImageField(_("cover"), blank=True, max_length=255)
    sample_before = models.ImageField(_("sample before"), blank=True, max_length=255)
    sample_after = models.ImageField(_("sample after"), blank=True, max_length=255)
    error = models.TextField(_("training error"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["influencer__name", "name"]
        verbose_name = _("look")
        verbose_name_plural = _("looks")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status=LookStatus.READY),
                name="look_published_only_when_ready",
                violation_error_message=_("Only a ready look can be published."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.influencer.name}: {self.name}"

    @property
    def version(self) -> int:
        return self.current_version.number if self.current_version_id else 0


class LookVersion(models.Model):
    """One immutable rendering of a look. Results keep pointing at the version that made them."""

    class Method(models.TextChoices):
        ZERO_SHOT = "zero_shot", _("Zero-shot")
        TRAINED = "trained", _("Trained")

    look = models.ForeignKey(Look, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    file = models.FileField(_("look file"), max_length=255)
    cube = models.FileField(_("3D LUT"), max_length=255, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    previews = models.JSONField(
        _("previews"),
        default=list,
        blank=True,
        help_text=_("Storage names of sample photos rendered with this version."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["look", "-number"]
        verbose_name = _("look version")
        verbose_name_plural = _("look versions")
        constraints = [
            models.UniqueConstraint(fields=["look", "number"], name="look_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.look.slug} v{self.number}"


class ReferencePhoto(models.Model):
    look = models.ForeignKey(Look, on_delete=models.CASCADE, related_name="references")
    image = models.ImageField(_("image"), max_length=255)
    thumbnail = models.ImageField(_("thumbnail"), blank=True, max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("reference photo")
        verbose_name_plural = _("reference photos")

    def __str__(self) -> str:
        return f"reference {self.order} of {self.look.slug}"
