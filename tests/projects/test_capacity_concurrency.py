"""Concurrent confirmations for one person must never over-book them (the person's row lock)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from config.errors import RuleError
from projects.load import peak_load
from projects.models import Assignment, AssignmentStatus
from projects.services import assign_person
from tests.factories import PersonFactory, ProjectFactory, RoleSlotFactory

THREADS = 8
ATTEMPTS = 40


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_exceed_capacity() -> None:
    person = PersonFactory(capacity_fte=Decimal("1.00"))
    project = ProjectFactory(starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 12, 31))
    slots = [RoleSlotFactory(project=project, fte=Decimal("0.50")) for _ in range(ATTEMPTS)]
    # Every attempt overlaps every other: each covers March at least, with shifted ends.
    ranges = [
        (dt.date(2027, 1, 1) + dt.timedelta(days=i), dt.date(2027, 6, 1) + dt.timedelta(days=i))
        for i in range(ATTEMPTS)
    ]
    outcomes: list[str] = []
    barrier = threading.Barrier(THREADS)

    def attempt(indices: list[int]) -> None:
        barrier.wait()
        try:
            for i in indices:
                try:
                    assign_person(
                        slot=slots[i],
                        person=person,
                        starts_on=ranges[i][0],
                        ends_on=ranges[i][1],
                        allocation=Decimal("0.30"),
                        status=AssignmentStatus.CONFIRMED,
                        actor=None,
                    )
                    outcomes.append("confirmed")
                except RuleError:
                    outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=([i for i in range(ATTEMPTS) if i % THREADS == t],))
        for t in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    confirmed = list(
        Assignment.objects.filter(person=person, status="confirmed").values_list("starts_on", "ends_on", "allocation")
    )
    assert (outcomes.count("confirmed"), outcomes.count("refused")) == (3, 37)
    assert len(confirmed) == 3
    _, peak = peak_load(starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 12, 31), assignments=confirmed)
    assert peak == Decimal("0.90")
