"""Concurrent confirmations and capacity changes for one person must never over-book them (the person's row lock)."""

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from config.errors import RuleError
from people.services import update_person
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(5))
def test_lowering_a_capacity_while_others_confirm_never_leaves_anyone_over_it(round_: int) -> None:
    """Capacity changes take the same person lock as confirmations, so whichever comes second sees the first.

    Four threads confirm 0.30 FTE each while four lower the capacity to 0.60, 0.50, 0.40 and 0.30;
    whatever the interleaving, the confirmed load ends at or below the capacity that ends up saved.
    """
    person = PersonFactory(capacity_fte=Decimal("1.00"))
    first, last = timezone.localdate() + dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=60)
    project = ProjectFactory(starts_on=first, ends_on=last)
    slots = [RoleSlotFactory(project=project, starts_on=first, ends_on=last, fte=Decimal("0.50")) for _ in range(4)]
    outcomes: list[str] = []
    barrier = threading.Barrier(THREADS)

    def confirm(slot_index: int) -> None:
        try:
            assign_person(
                slot=slots[slot_index],
                person=person,
                starts_on=first,
                ends_on=last,
                allocation=Decimal("0.30"),
                status=AssignmentStatus.CONFIRMED,
                actor=None,
            )
            outcomes.append("confirmed")
        except RuleError:
            outcomes.append("confirmation refused")

    def lower(capacity: str) -> None:
        try:
            update_person(person=person, changes={"capacity_fte": Decimal(capacity)})
            outcomes.append("capacity lowered")
        except RuleError:
            outcomes.append("capacity refused")

    def attempt(work: Callable[[], None]) -> None:
        barrier.wait()
        try:
            work()
        finally:
            connection.close()

    # Interleave the two kinds of work so that each round starts them in a different order.
    confirmations = [partial(confirm, i) for i in range(4)]
    lowerings = [partial(lower, capacity) for capacity in ("0.60", "0.50", "0.40", "0.30")]
    work: list[Callable[[], None]] = [job for pair in zip(confirmations, lowerings, strict=True) for job in pair]
    work = work[round_:] + work[:round_]
    threads = [threading.Thread(target=attempt, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    person.refresh_from_db()
    confirmed = list(
        Assignment.objects.filter(person=person, status="confirmed").values_list("starts_on", "ends_on", "allocation")
    )
    _, peak = peak_load(starts_on=first, ends_on=last, assignments=confirmed)
    assert len(outcomes) == 8
    assert outcomes.count("confirmed") == len(confirmed)
    assert peak <= person.capacity_fte
