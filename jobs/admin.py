from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin
from core.errors import ServiceError
from jobs import services
from jobs.models import Job


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
