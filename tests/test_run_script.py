"""`make run` (bin/run): when the worker or the web server dies, both stop, with one line
saying which died and where its log is. Driven with a stand-in Python that plays each role."""

import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE_PYTHON = """#!/bin/bash
case "$*" in
  *celery*) [ "$DIES" = worker ] && { sleep 0.5; exit 3; }; exec sleep 60 ;;
  *runserver*) echo $$ > "$WEB_PID"; [ "$DIES" = web ] && { sleep 0.5; exit 4; }; exec sleep 60 ;;
  *) exit 0 ;;
esac
"""


@pytest.mark.parametrize(
    ("dies", "line", "code"),
    [("worker", "The worker stopped (exit 3); its log is var/worker.log.", 3),
     ("web", "The web server stopped (exit 4)", 4)],
)  # fmt: skip
def test_either_process_dying_stops_both_and_says_which(tmp_path, dies, line, code):
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    web_pid = tmp_path / "web.pid"
    environment = {"PATH": "/usr/bin:/bin", "PY": str(fake), "DIES": dies, "WEB_PID": str(web_pid)}

    started = time.monotonic()
    run = subprocess.run(
        ["bash", "bin/run"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=30
    )

    assert time.monotonic() - started < 20
    assert run.returncode == code
    assert line in run.stderr
    pid = int(web_pid.read_text())
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
