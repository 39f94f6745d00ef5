from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GenerationConfig(AppConfig):
    name = "generation"
    verbose_name = _("Photos and jobs")

    def ready(self) -> None:
        from generation import adapter_training, quick_tune, stylize
        from jobs.models import JobKind
        from jobs.registry import register

        register(JobKind.STYLIZE, stylize.run)
        register(JobKind.TRAIN_ADAPTER, adapter_training.run, on_abandon=adapter_training.abandon)
        register(JobKind.QUICK_TUNE, quick_tune.run)
