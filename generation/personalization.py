"""Workflows of a person's taste: edit results, train, tune, revert and reset their adapter, and
answer quick-tune questions. Reads live in `generation.selectors`, the arithmetic of edits and
the description of a taste in `generation.taste`.

An adapter is a series of versions (one `PersonalAdapter` row each, numbered per owner and
look); stylize uses the newest ready one once its evidence is heavy enough
(`taste.MIN_EVIDENCE_WEIGHT`). Reverting makes a copy of an earlier version the newest; a reset
deletes every version.
"""

import math
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import files
from core.errors import Conflict, ServiceError
from generation import selectors
from generation.models import AdapterStatus, PersonalAdapter, QuickTuneQuestion, Result
from generation.taste import check_edits, evidence_for
from jobs import services as job_services
from jobs.models import Job, JobKind
from styles.selectors import catalog_look

# --- edits -------------------------------------------------------------------------------------


def edit_result(result: Result, edits) -> Job:
    """Queue a job that renders the result's photo again, from the same look version and
    strength, with these edits (and no adapter: the edits are all the user asked for)."""
    return _queue_edits(result.owner, [result], check_edits(edits))


def copy_edits(owner, source: Result, target_ids: Iterable) -> list[Job]:
    """Queue the source result's edits onto other results of the owner: one job per look
    version and strength among them."""
    targets = list(selectors.results_for(owner).filter(id__in=list(target_ids)))
    if not targets:
        message = _("Choose at least one other result.")
        raise ServiceError(message, fields={"results": [message]})
    groups: dict[tuple, list[Result]] = defaultdict(list)
    for target in targets:
        groups[(target.look_version_id, target.strength)].append(target)
    edits = check_edits(source.edits)
    return [_queue_edits(owner, group, edits) for group in groups.values()]


def _queue_edits(owner, results: list[Result], edits: dict) -> Job:
    first = results[0]
    if any(not r.photo.original or r.photo.original_purged_at for r in results):
        message = _("The original of this photo was deleted, so it cannot be rendered again.")
        raise ServiceError(message, code="original_deleted", fields={"edits": [message]})
    with transaction.atomic():
        job_services.check_quotas(owner)
        job = Job.objects.create(
            owner=owner,
            kind=JobKind.STYLIZE,
            look_id=first.look_id,
            look_version_id=first.look_version_id,
            params={
                "strength": first.strength,
                "edits": edits,
                "use_adapter": False,
                "edited_from": {str(r.photo_id): str(r.id) for r in results},
            },
        )
        job.photos.set([r.photo_id for r in results])
        job_services.enqueue(job)
    return job


# --- adapters ----------------------------------------------------------------------------------


def create_adapter_job(owner, *, look_slug: str) -> Job:
    """Queue the next version of the owner's adapter for a look, learnt from everything they
    did with it. 404 for a look they cannot use; 400 when there is nothing to learn from."""
    look = catalog_look(look_slug)
    evidence = evidence_for(owner, look)
    if evidence.is_empty():
        message = _(
            "Nothing to learn from yet: edit, rate or compare a few results of this look first."
        )
        raise ServiceError(message, code="no_signal", fields={"look": [message]})
    with transaction.atomic():
        job_services.check_quotas(owner)  # also locks the owner: version numbers stay unique
        job = Job.objects.create(
            owner=owner,
            kind=JobKind.TRAIN_ADAPTER,
            look=look,
            look_version=look.current_version,
            params={"evidence": evidence.counts()},
        )
        adapter = PersonalAdapter.objects.create(
            owner=owner,
            look=look,
            look_version=look.current_version,
            job=job,
            version=_next_version(owner, look),
            intensity=_current_intensity(owner, look),
        )
        job.adapter = adapter
        job.save(update_fields=["adapter"])
        job_services.enqueue(job)
    return job


def _next_version(owner, look) -> int:
    versions = PersonalAdapter.objects.filter(owner=owner, look=look)
    return (versions.aggregate(last=Max("version"))["last"] or 0) + 1


def _current_intensity(owner, look) -> float:
    newest = selectors.newest_adapter(owner, look)
    return newest.intensity if newest is not None else 1.0


def set_intensity(adapter: PersonalAdapter, intensity) -> PersonalAdapter:
    """How much of the taste stylize adds (0 to 1) with this version."""
    if (
        isinstance(intensity, bool)
        or not isinstance(intensity, int | float)
        or math.isnan(intensity)
        or not 0.0 <= intensity <= 1.0
    ):
        message = _("Intensity must be a number from 0 to 1.")
        raise ServiceError(message, fields={"intensity": [message]})
    adapter.intensity = float(intensity)
    adapter.save(update_fields=["intensity"])
    return adapter


def revert_adapter(adapter: PersonalAdapter, version) -> PersonalAdapter:
    """Make a copy of an earlier ready version of this adapter the newest one."""
    source = None
    if isinstance(version, int) and not isinstance(version, bool):
        source = PersonalAdapter.objects.filter(
            owner=adapter.owner, look=adapter.look, version=version, status=AdapterStatus.READY
        ).first()
    if source is None or not source.file:
        message = _("There is no ready version %(version)s of this adapter.") % {"version": version}
        raise ServiceError(message, code="unknown_version", fields={"version": [message]})
    extension = source.file.name.rsplit(".", 1)[-1]
    name = files.store(
        files.user_file_name(adapter.owner_id, "adapters", extension), files.read(source.file.name)
    )
    try:
        with transaction.atomic():
            _lock(adapter.owner)  # version numbers stay unique
            return PersonalAdapter.objects.create(
                owner=adapter.owner,
                look=adapter.look,
                look_version=source.look_version,
                status=AdapterStatus.READY,
                file=name,
                version=_next_version(adapter.owner, adapter.look),
                intensity=_current_intensity(adapter.owner, adapter.look),
                taste=source.taste,
                evidence=source.evidence,
                metrics=source.metrics,
                reverted_from=source.version,
            )
    except BaseException:
        files.delete_quietly(name)
        raise


def _lock(owner) -> None:
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()


def reset_adapter(owner, look) -> int:
    """Forget the owner's taste for a look: delete every version and its file. Returns how many
    versions were deleted; 409 while one is training."""
    versions = PersonalAdapter.objects.filter(owner=owner, look=look)
    if versions.filter(status=AdapterStatus.TRAINING).exists():
        raise Conflict(_("Your adapter is still training. Cancel its job first."))
    with transaction.atomic():
        names = files.stored_names(*(adapter.file for adapter in versions))
        deleted, _by_model = versions.delete()
        files.delete_files_on_commit(names)
    return deleted


# --- quick tune --------------------------------------------------------------------------------


def open_question(owner, look_slug: str) -> QuickTuneQuestion:
    """The owner's unanswered quick-tune question for a look; a new one (prepared by a
    `quick_tune` job) when there is none. 404 for a look they cannot use."""
    look = catalog_look(look_slug)
    question = selectors.open_question(owner, look)
    if question is not None and not question.is_stuck:
        return question
    if question is not None:  # its job failed: prepare it again
        question.delete()
    try:
        with transaction.atomic():
            return _new_question(owner, look)
    except IntegrityError:  # a concurrent request opened it first
        return QuickTuneQuestion.objects.get(owner=owner, look=look, winner__isnull=True)


def answer_question(question: QuickTuneQuestion, winner) -> QuickTuneQuestion:
    """Record which rendering the owner preferred (0: a, 1: b) and prepare the next question."""
    if isinstance(winner, bool) or winner not in (0, 1):
        message = _("Winner must be 0 (the first) or 1 (the second).")
        raise ServiceError(message, fields={"winner": [message]})
    if not question.is_ready:
        raise Conflict(_("This question is still being prepared."))
    with transaction.atomic():
        answered = QuickTuneQuestion.objects.filter(id=question.id, winner__isnull=True).update(
            winner=winner, answered_at=timezone.now()
        )
        if answered != 1:
            raise Conflict(_("This question was answered already."))
        return _new_question(question.owner, question.look)


def _new_question(owner, look) -> QuickTuneQuestion:
    job = Job.objects.create(owner=owner, kind=JobKind.QUICK_TUNE, look=look)
    question = QuickTuneQuestion.objects.create(owner=owner, look=look, job=job)
    job_services.enqueue(job)
    return question
