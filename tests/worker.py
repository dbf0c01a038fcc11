"""A real Celery worker, in its own process, consuming from Redis against the test database, and the
hooks that let a test stop, fail and count the report jobs it runs.

The worker runs the product's Celery app through ``tests.worker_app``, which connects the hooks
below. They act only when ``SPECTRUM_TEST_PAUSE_DIR`` names a directory (pass it in ``env``), and
talk to the test through files there, named after the report's id:

- ``<id>.hold``: while it exists, a run that has claimed the report waits (after creating ``<id>.paused``);
- ``<id>.fail``: a run that has claimed the report raises ``RuntimeError`` with the file's text;
- ``<id>.claims``: a line per run that claimed the report (the worker's process id);
- ``<id>.deliveries``: a line per delivery of the report's job that the worker finished, with the
  job's final state, whether or not it found anything to do.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery.signals import task_postrun
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from staffing.signals import report_claimed

ROOT = Path(__file__).resolve().parent.parent
PAUSE_DIR_VARIABLE = "SPECTRUM_TEST_PAUSE_DIR"
PAUSE_POLL_SECONDS = 0.05
RUN_REPORT_TASK = "staffing.run_report"


# --- Hooks, connected in the worker process ---------------------------------------------------------


def _hook_directory() -> Path | None:
    directory = os.environ.get(PAUSE_DIR_VARIABLE)
    return Path(directory) if directory else None


def _append_line(path: Path, line: str) -> None:
    with path.open("a") as file:
        file.write(f"{line}\n")


def pause_or_fail_when_claimed(sender: object, *, report_id: int, **kwargs: object) -> None:
    """Receiver of ``report_claimed``: count the claim, then wait while ``<id>.hold`` exists and raise
    if ``<id>.fail`` exists (see the module's docstring)."""
    base = _hook_directory()
    if base is None:
        return
    _append_line(base / f"{report_id}.claims", str(os.getpid()))
    (base / f"{report_id}.paused").touch()
    while (base / f"{report_id}.hold").exists():
        time.sleep(PAUSE_POLL_SECONDS)
    failure = base / f"{report_id}.fail"
    if failure.exists():
        raise RuntimeError(failure.read_text().strip())


def count_delivery(sender: Any = None, kwargs: dict[str, Any] | None = None, state: str = "", **extra: Any) -> None:
    """Receiver of Celery's ``task_postrun``: a line in ``<id>.deliveries`` per finished report job."""
    base = _hook_directory()
    if base is None or getattr(sender, "name", None) != RUN_REPORT_TASK or not kwargs:
        return
    _append_line(base / f"{kwargs['report_id']}.deliveries", state)


def connect_hooks() -> None:
    """Connect the hooks (in the worker process; see ``tests.worker_app``)."""
    report_claimed.connect(pause_or_fail_when_claimed, dispatch_uid="tests.worker.pause_or_fail_when_claimed")
    task_postrun.connect(count_delivery, weak=False, dispatch_uid="tests.worker.count_delivery")


def lines_of(path: Path) -> list[str]:
    """The lines a hook wrote to ``path`` (none when it wrote nothing)."""
    return path.read_text().splitlines() if path.exists() else []


# --- The worker process ---------------------------------------------------------------------------


def test_database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def new_queue_name() -> str:
    return f"tests-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class Worker:
    """A running worker process and the queue it consumes."""

    queue: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """Kill the worker at once (SIGKILL), as a crash or an out-of-memory kill would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)


@contextmanager
def running_worker(
    timeout: float = 60, *, queue: str | None = None, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start a worker on a queue of its own and yield the queue's name; stop the worker afterwards.

    The worker reads the test database, so the test must commit what it wants the worker to see
    (use ``transactional_db``). Jobs are sent to Redis for real while the worker runs. ``queue``
    names the queue (a new one by default), ``env`` adds environment variables for the worker.
    """
    with worker_process(timeout, queue=queue, env=env) as worker:
        yield worker.queue


@contextmanager
def worker_process(
    timeout: float = 60, *, queue: str | None = None, env: dict[str, str] | None = None
) -> Iterator[Worker]:
    """Like ``running_worker``, but yield the ``Worker`` so that a test can kill it."""
    queue = queue or new_queue_name()
    environment = (
        os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.REDIS_URL,
            "SECRET_KEY": "tests-only-worker-secret-key-0123456789-abcdefghijklmnop",
        }
        | (env or {})
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tests.worker_app",
        "worker",
        "--pool=solo",
        "--queues",
        queue,
        "--hostname",
        f"{queue}@%h",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=INFO",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        _wait_until_ready(queue, process, timeout)
        yield Worker(queue=queue, process=process)
    finally:
        celery_app.conf.task_always_eager = was_eager
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def sending_jobs_to(queue: str) -> Iterator[None]:
    """Send jobs through Redis to ``queue`` (not run them in-process) when no queue is named.

    For code that enqueues without naming a queue, as the product does; the worker under test
    consumes only its own queue.
    """
    conf = celery_app.conf
    was = conf.task_always_eager, conf.task_default_queue
    conf.task_always_eager, conf.task_default_queue = False, queue
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_default_queue = was


def _wait_until_ready(queue: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"The Celery worker exited early:\n{output}")
        if celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            return
    raise RuntimeError("The Celery worker did not answer within the timeout")
