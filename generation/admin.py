"""Admin for results, adapters and photos: read-only views; changes go through services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, image_tag
from generation.models import PersonalAdapter, Photo, Result


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
