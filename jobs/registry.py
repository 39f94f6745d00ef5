"""Which handler runs each kind of job. Each app registers its own in `AppConfig.ready`, so the
engine imports no app.

A handler is `run(job, progress)`; `progress(fraction)` records progress and a heartbeat and
raises `JobCancelled` once the job was cancelled meanwhile. `on_abandon(job)`, when given, runs
in the transaction that fails or cancels the job.
"""

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Handler:
    run: Callable[..., object]
    on_abandon: Callable[..., None] | None = None


_handlers: dict[str, Handler] = {}


def register(kind: str, run: Callable[..., object], *, on_abandon=None) -> None:
    _handlers[kind] = Handler(run, on_abandon)


def handler_for(kind: str) -> Handler:
    return _handlers[kind]


def abandon(job) -> None:
    handler = _handlers.get(job.kind)
    if handler is not None and handler.on_abandon is not None:
        handler.on_abandon(job)
