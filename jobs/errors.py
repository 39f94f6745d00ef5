"""What a run raises to the engine besides the errors of `core.errors`."""


class JobCancelled(Exception):
    """The job was cancelled (or handed to another worker) while this worker ran it."""


class RetryLater(Exception):
    """Raised to the Celery task after the job went back to the queue for a retry."""
