"""The `quick_tune` job's handler (gpu queue, well under a second): fill in the owner's open
quick-tune question with the next pair of edits ml.next_pair proposes from what they did with
the look. Idempotent: a question that is ready or answered is left alone.
"""

from django.utils.translation import gettext as _

from core.errors import ServiceError
from generation.adapter_training import ml_evidence
from generation.models import QuickTuneQuestion
from jobs import ml_loader
from jobs.models import Job
from jobs.registry import Progress


def run(job: Job, progress: Progress) -> None:
    question = QuickTuneQuestion.objects.filter(job=job).first()
    if question is None:
        raise ServiceError(_("This question was deleted."))
    if question.is_ready or question.winner is not None:
        return
    ml = ml_loader.ml()
    a, b = ml.next_pair(ml_evidence(ml, job.owner, question.look))
    QuickTuneQuestion.objects.filter(id=question.id, a__isnull=True).update(a=a, b=b)
