"""The `train_adapter` job's handler (gpu queue): learn the user's taste for a look from what
they did with it (generation.taste.evidence_for). Idempotent: an adapter that is already ready
is not trained again.
"""

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from core import files
from core.errors import ServiceError
from generation.models import AdapterStatus, PersonalAdapter
from generation.taste import evidence_for
from jobs import ml_loader
from jobs.models import Job
from jobs.registry import Progress


def run(job: Job, progress: Progress) -> None:
    personal = PersonalAdapter.objects.filter(job=job).first()
    if personal is None:
        raise ServiceError(_("This adapter was deleted."))
    if personal.status == AdapterStatus.READY:
        return
    if job.look is None:
        raise ServiceError(_("This look is no longer available."))
    ml = ml_loader.ml()
    progress(0.05)
    evidence = ml_evidence(ml, job.owner, job.look)
    try:
        trained = ml.train_adapter(evidence, {"look": job.look.slug})
    except ml.MLError:
        raise ServiceError(
            _("Nothing to learn from yet: edit, rate or compare a few results of this look first.")
        ) from None
    name = _save_adapter_file(job, trained)
    updated = PersonalAdapter.objects.filter(id=personal.id, status=AdapterStatus.TRAINING).update(
        status=AdapterStatus.READY,
        file=name,
        taste=trained.taste,
        evidence={**trained.evidence, "weight": evidence.weight},
        metrics=dict(trained.meta),
    )
    if updated != 1:
        files.delete_quietly(name)


def ml_evidence(ml, owner, look):
    """What the owner did with the look, as ml.Evidence."""
    found = evidence_for(owner, look)
    return ml.Evidence(edited=found.edited, ratings=found.ratings, pairs=found.pairs)


def abandon(job: Job) -> None:
    """The job failed or was cancelled: its adapter will never be ready."""
    PersonalAdapter.objects.filter(job=job, status=AdapterStatus.TRAINING).update(
        status=AdapterStatus.FAILED
    )


def _save_adapter_file(job: Job, trained) -> str:
    with tempfile.TemporaryDirectory(prefix="lookbook-") as folder:
        path = Path(folder) / "adapter.safetensors"
        trained.save(path)
        content = path.read_bytes()
    return files.store(files.user_file_name(job.owner_id, "adapters", "safetensors"), content)
