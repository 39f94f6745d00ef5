from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import PreferenceProfile, User


class PreferenceProfileInline(admin.StackedInline):
    model = PreferenceProfile
    can_delete = False
    filter_horizontal = ["favourite_looks"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [PreferenceProfileInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Quotas (empty uses the site default)"),
            {
                "fields": [
                    "quota_concurrent_jobs",
                    "quota_photos_per_job",
                    "quota_daily_compute_seconds",
                ]
            },
        ),
    ]
