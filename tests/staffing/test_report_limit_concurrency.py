"""Requests sent at once by one user never leave more than ``MAX_PENDING_REPORTS`` of their reports waiting
(the user's row lock)."""

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.db import connection

from config.celery import app as celery_app
from staffing.models import Report
from staffing.services import TooManyPendingReports, request_report
from tests.factories import UserFactory

THREADS = 8


@pytest.fixture
def queued_jobs() -> Iterator[None]:
    """Jobs go to the test Redis and wait there (no worker), so the reports stay queued; emptied after."""
    conf = celery_app.conf
    was = conf.task_always_eager
    conf.task_always_eager = False
    try:
        yield
    finally:
        conf.task_always_eager = was
        celery_app.control.purge()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued_jobs")
def test_requests_sent_at_once_leave_at_most_three_reports_waiting() -> None:
    user: User = UserFactory()
    outcomes: list[str] = []
    barrier = threading.Barrier(THREADS)

    def attempt() -> None:
        barrier.wait()
        try:
            request_report(
                kind="organisation",
                requested_by=user,
                starts_on=dt.date(2027, 1, 4),
                ends_on=dt.date(2027, 3, 28),
            )
            outcomes.append("queued")
        except TooManyPendingReports:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (outcomes.count("queued"), outcomes.count("refused")) == (3, 5)
    assert list(Report.objects.filter(requested_by=user).values_list("status", flat=True)) == ["queued"] * 3
