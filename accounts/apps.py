from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import export
        from jobs.models import JobKind
        from jobs.registry import register

        register(JobKind.EXPORT, export.build_export)
