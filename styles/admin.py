"""Curation: influencers, looks, reference photos and builds. Every action goes through
`styles.services`; the admin only collects input and reports the outcome as messages.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.admin import image_tag
from core.errors import ServiceError
from styles import selectors, services
from styles.models import Influencer, Look, LookVersion, ReferencePhoto, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Influencer)
class InfluencerAdmin(admin.ModelAdmin):
    list_display = ["name", "handle", "is_published", "featured_order", "look_count"]
    list_filter = ["is_published", "tags"]
    search_fields = ["name", "handle", "bio", "slug"]
    filter_horizontal = ["tags"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["publish_influencers", "unpublish_influencers"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(look_total=Count("looks"))

    @admin.display(description=gettext_lazy("looks"), ordering="look_total")
    def look_count(self, influencer: Influencer) -> int:
        return influencer.look_total

    @admin.action(description=gettext_lazy("Publish selected influencers"))
    def publish_influencers(self, request, queryset):
        for influencer in queryset:
            services.set_influencer_published(influencer, True)
        messages.success(request, _("Published %(count)d influencers.") % {"count": len(queryset)})

    @admin.action(description=gettext_lazy("Unpublish selected influencers"))
    def unpublish_influencers(self, request, queryset):
        for influencer in queryset:
            services.set_influencer_published(influencer, False)
        messages.success(
            request, _("Unpublished %(count)d influencers.") % {"count": len(queryset)}
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one `<input type=file multiple>`; validated by the services."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(file, initial) for file in files if file]


class LookAdminForm(forms.ModelForm):
    new_references = MultipleImageField(
        label=gettext_lazy("Add reference photos"),
        required=False,
        help_text=gettext_lazy(
            "Select several JPEG, PNG, WebP or HEIC images at once. "
            "A look needs at least three before it can be built."
        ),
    )

    class Meta:
        model = Look
        fields = ["influencer", "name", "slug", "description", "tags"]

    def clean_new_references(self):
        files = self.cleaned_data["new_references"]
        if not files:
            return []
        try:
            return services.clean_references(files)
        except ServiceError as error:
            raise ValidationError(error.message) from None


class ReferencePhotoInline(admin.TabularInline):
    model = ReferencePhoto
    fields = ["preview", "order"]
    readonly_fields = ["preview"]
    extra = 0
    max_num = 0  # new references come through the multi-file field

    @admin.display(description=gettext_lazy("photo"))
    def preview(self, reference: ReferencePhoto):
        return image_tag(reference.thumbnail or reference.image)


class LookVersionInline(admin.TabularInline):
    model = LookVersion
    verbose_name_plural = gettext_lazy("version history")
    fields = ["number", "method", "fingerprint", "metrics", "created"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


@admin.register(Look)
class LookAdmin(admin.ModelAdmin):
    form = LookAdminForm
    change_form_template = "admin/styles/look/change_form.html"
    list_display = ["name", "influencer", "status", "is_published", "version_number", "updated"]
    list_filter = ["status", "is_published", "influencer", "tags"]
    list_select_related = ["influencer", "current_version"]
    search_fields = ["name", "slug", "description", "influencer__name", "influencer__handle"]
    autocomplete_fields = ["influencer"]
    filter_horizontal = ["tags"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "is_published", "current_version", "error", "cover_preview"]
    inlines = [ReferencePhotoInline, LookVersionInline]
    actions = ["encode_looks", "train_looks", "publish_looks", "unpublish_looks"]

    class Media:
        css = {"all": ["admin-look.css"]}
        js = ["admin-look-status.js"]

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": ["influencer", "name", "slug", "description", "tags"]})
        upload = (_("Reference photos"), {"fields": ["new_references"]})
        if obj is None:
            return [main, upload]
        state = (
            _("Status"),
            {"fields": ["status", "is_published", "current_version", "error", "cover_preview"]},
        )
        return [main, state, upload]

    @admin.display(description=gettext_lazy("version"), ordering="current_version__number")
    def version_number(self, look: Look) -> int:
        return look.version

    @admin.display(description=gettext_lazy("cover"))
    def cover_preview(self, look: Look):
        return image_tag(look.cover, "lookbook-preview")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        cleaned = form.cleaned_data.get("new_references")
        if cleaned:
            services.store_references(form.instance, cleaned)
            messages.success(
                request,
                ngettext(
                    "Added %(count)d reference photo.",
                    "Added %(count)d reference photos.",
                    len(cleaned),
                )
                % {"count": len(cleaned)},
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReferencePhoto:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for reference in formset.deleted_objects:
            services.delete_reference(reference)
        for reference in instances:
            reference.save()

    def delete_model(self, request, obj):
        services.delete_look(obj)

    def delete_queryset(self, request, queryset):
        for look in queryset:
            services.delete_look(look)

    # --- actions ---------------------------------------------------------------------

    def _build(self, request, queryset, method: str):
        for look in queryset:
            try:
                services.request_look_build(look, requested_by=request.user, method=method)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Queued a build of “%(look)s”.") % {"look": look})

    @admin.action(description=gettext_lazy("Encode (zero-shot) selected looks"))
    def encode_looks(self, request, queryset):
        self._build(request, queryset, LookVersion.Method.ZERO_SHOT)

    @admin.action(description=gettext_lazy("Train selected looks"))
    def train_looks(self, request, queryset):
        self._build(request, queryset, LookVersion.Method.TRAINED)

    @admin.action(description=gettext_lazy("Publish selected looks"))
    def publish_looks(self, request, queryset):
        self._each(request, queryset, services.publish, _("Published “%(look)s”."))

    @admin.action(description=gettext_lazy("Unpublish selected looks"))
    def unpublish_looks(self, request, queryset):
        self._each(request, queryset, services.unpublish, _("Unpublished “%(look)s”."))

    def _each(self, request, queryset, service, success: str):
        for look in queryset:
            try:
                service(look)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, success % {"look": look})

    # --- build status and buttons on the change page -----------------------------------

    def get_urls(self):
        own = [
            path(
                "<int:look_id>/build-status/",
                self.admin_site.admin_view(self.build_status_view),
                name="styles_look_build_status",
            ),
            path(
                "<int:look_id>/build/",
                self.admin_site.admin_view(require_POST(self.build_view)),
                name="styles_look_build",
            ),
        ]
        return own + super().get_urls()

    def build_status_view(self, request, look_id: int):
        look = get_object_or_404(Look.objects.select_related("current_version"), pk=look_id)
        if not self.has_view_permission(request, look):
            return redirect("admin:index")
        return TemplateResponse(
            request, "admin/styles/look/build_status.html", self.build_context(look)
        )

    def build_view(self, request, look_id: int):
        look = get_object_or_404(Look, pk=look_id)
        if not self.has_change_permission(request, look):
            return redirect("admin:index")
        method = request.POST.get("method", LookVersion.Method.ZERO_SHOT)
        self._build(request, [look], method)
        return redirect("admin:styles_look_change", look.pk)

    def build_context(self, look: Look) -> dict:
        latest = selectors.builds_of(look).first()
        return {
            "look": look,
            "build": latest,
            "active": latest is not None and not latest.is_finished,
            "status_url": reverse("admin:styles_look_build_status", args=[look.pk]),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        look = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if look is not None:
            extra |= self.build_context(look)
            extra["build_url"] = reverse("admin:styles_look_build", args=[look.pk])
            extra["methods"] = LookVersion.Method.choices
            extra["previews"] = self.previews(look)
        return super().change_view(request, object_id, form_url, extra)

    def previews(self, look: Look) -> list[dict]:
        version = look.current_version
        if version is None:
            return []
        shown = (
            [{"label": _("Before"), "url": look.sample_before.url}] if look.sample_before else []
        )
        shown += [
            {"label": _("Sample %(number)d") % {"number": index}, "url": default_storage.url(name)}
            for index, name in enumerate(version.previews, 1)
        ]
        return shown
