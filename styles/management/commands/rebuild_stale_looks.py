from django.core.management.base import BaseCommand

from styles import tasks


class Command(BaseCommand):
    help = (
        "After the base model weights change: queue a GPU task that builds a new version of "
        "every look made with the old weights. Safe to run repeatedly."
    )

    def handle(self, *args, **options):
        tasks.rebuild_stale_looks.delay()
        self.stdout.write(self.style.SUCCESS("Queued the rebuild of stale looks on the gpu queue."))
