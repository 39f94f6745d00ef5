"""Admin pieces every app's admin uses: thumbnails and read-only model admins."""

from django.contrib import admin
from django.core.files.storage import default_storage
from django.utils.html import format_html


def image_tag(field_or_name, css_class: str = "lookbook-thumb"):
    name = getattr(field_or_name, "name", field_or_name)
    if not name:
        return "—"
    return format_html('<img src="{}" class="{}" alt="">', default_storage.url(name), css_class)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows to look at; changes go through services so their files go too."""

    class Media:
        css = {"all": ["admin-look.css"]}  # the thumbnails' class: CSP allows no inline style

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
