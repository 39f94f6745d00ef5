"""Run one claimed job: dispatch it to its registered handler and record how it ended.

A handler is `run(job, progress)` (see `jobs.registry`). Handlers raise `ml.MLError` or
`core.errors.ServiceError` for failures the user should read; transient
storage trouble is retried; anything else fails the job with a generic message and a logged
traceback, so no job stays running because of an exception.
"""

import logging
import sys
import time
from collections.abc import Callable

from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import ServiceError, StorageUnavailable
from jobs import registry, services
from jobs.errors import JobCancelled, RetryLater
from jobs.models import Job

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    StorageUnavailable,
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionError,
    TimeoutError,
)


def run(job_id) -> None:
    """Claim and run a job. A job someone else claimed or finished is left alone."""
    job = services.claim(job_id)
    if job is None:
        logger.info("job %s is not queued any more; nothing to do", job_id)
        return
    started = time.monotonic()

    def elapsed() -> float:
        return time.monotonic() - started

    try:
        registry.handler_for(job.kind).run(job, _progress_reporter(job))
    except JobCancelled:
        logger.info("job %s was cancelled while running", job.id)
        services.charge_cancelled_compute(job, elapsed())
    except TRANSIENT_ERRORS as exc:
        _retry_or_fail(job, exc, elapsed())
    except Exception as exc:
        message = _user_message(exc)
        if message is None:
            logger.exception("job %s failed unexpectedly", job.id)
            message = _("Something went wrong while processing this job. Please try again.")
        services.fail(job, message, compute_seconds=elapsed())
    else:
        services.succeed(job, compute_seconds=elapsed())


def _progress_reporter(job: Job) -> Callable[[float], None]:
    def progress(fraction: float) -> None:
        if not services.report_progress(job, fraction):
            raise JobCancelled(str(job.id))

    return progress


def _user_message(exc: Exception) -> str | None:
    """The readable message of an expected failure, or None for a bug."""
    if isinstance(exc, ServiceError):
        return exc.message
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("This job took too long and was stopped. Try fewer or smaller photos.")
    # `ml` is imported only by handlers that use it: if it is not loaded, no MLError was raised.
    for module in ("ml", "ml.errors"):
        ml_error = getattr(sys.modules.get(module), "MLError", None)
        if ml_error is not None and isinstance(exc, ml_error):
            return str(exc)
    return None


def _retry_or_fail(job: Job, exc: Exception, compute_seconds: float) -> None:
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        logger.warning("job %s gave up after %d attempts: %r", job.id, job.attempts, exc)
        services.fail(
            job,
            _("Storage was unavailable; this job was tried %(attempts)d times. Please try again.")
            % {"attempts": job.attempts},
            compute_seconds=compute_seconds,
        )
        return
    logger.warning("job %s hit a transient error, retrying: %r", job.id, exc)
    if services.requeue(job, resend=False):
        raise RetryLater(str(job.id)) from exc
