from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StylesConfig(AppConfig):
    name = "styles"
    verbose_name = _("Looks catalog")

    def ready(self) -> None:
        from jobs.models import JobKind
        from jobs.registry import register
        from styles import build

        register(JobKind.TRAIN_LOOK, build.run, on_abandon=build.abandon)
