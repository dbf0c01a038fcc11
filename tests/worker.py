"""A real Celery worker, in its own process, consuming from Redis against the test database."""

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

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


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
        "config",
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
