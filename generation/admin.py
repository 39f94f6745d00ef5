"""Admin for jobs, results, adapters and photos: read-only views; changes go through services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.errors import ServiceError
from generation import services
from generation.models import Job, PersonalAdapter, Photo, Result
from styles.admin import image_tag


class ReadOnlyAdmin(admin.ModelAdmin):
    class Media:
        css = {"all": ["admin-look.css"]}  # the thumbnails' class: CSP allows no inline style

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "progress", "owner", "look", "attempts", "created"]
    list_filter = ["kind", "status"]
    search_fields = ["id", "owner__username", "look__slug"]
    list_select_related = ["owner", "look"]
    date_hierarchy = "created"
    raw_id_fields = ["owner", "look", "look_version", "adapter", "photos"]
    actions = ["cancel_jobs"]

    @admin.action(description=_("Cancel selected jobs"))
    def cancel_jobs(self, request, queryset) -> None:
        cancelled = 0
        for job in queryset:
            try:
                services.cancel(job)
            except ServiceError:
                continue
            cancelled += 1
        message = ngettext("Cancelled %(count)d job.", "Cancelled %(count)d jobs.", cancelled)
        self.message_user(request, message % {"count": cancelled}, messages.SUCCESS)


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["id", "preview", "owner", "look", "strength", "rating", "favourite", "created"]
    list_filter = ["rating", "favourite"]
    search_fields = ["id", "owner__username", "look__slug"]
    list_select_related = ["owner", "look"]
    raw_id_fields = ["owner", "job", "photo", "look", "look_version", "adapter"]

    @admin.display(description=_("preview"))
    def preview(self, result: Result) -> str:
        return image_tag(result.thumbnail)


@admin.register(PersonalAdapter)
class PersonalAdapterAdmin(ReadOnlyAdmin):
    list_display = ["id", "owner", "look", "look_version", "status", "created"]
    list_filter = ["status"]
    search_fields = ["id", "owner__username", "look__slug"]
    list_select_related = ["owner", "look", "look_version"]
    raw_id_fields = ["owner", "look", "look_version", "photos", "job"]


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ["id", "preview", "owner", "width", "height", "content_type", "created"]
    list_filter = ["content_type"]
    search_fields = ["id", "owner__username", "sha256"]
    list_select_related = ["owner"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> str:
        return image_tag(photo.thumbnail)
