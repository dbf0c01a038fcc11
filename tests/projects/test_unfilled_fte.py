import datetime as dt
import time
from decimal import Decimal

import pytest

from projects.models import AssignmentStatus, RoleSlot
from projects.selectors import compute_unfilled_fte
from projects.services import refresh_unfilled_fte
from projects.tasks import refresh_unfilled_fte as refresh_unfilled_fte_task
from tests.factories import AssignmentFactory, RoleSlotFactory
from tests.worker import running_worker

D = dt.date


@pytest.mark.django_db
def test_unfilled_counts_only_confirmed_assignments() -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.60"), status=AssignmentStatus.CONFIRMED)
    AssignmentFactory(slot=slot, allocation=Decimal("0.40"), status=AssignmentStatus.TENTATIVE)

    assert compute_unfilled_fte(slot=slot) == Decimal("0.40")


@pytest.mark.django_db
def test_unfilled_is_never_negative() -> None:
    slot = RoleSlotFactory(fte=Decimal("0.50"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.60"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.60"))

    assert compute_unfilled_fte(slot=slot) == Decimal("0")


@pytest.mark.django_db
def test_refresh_stores_the_recomputed_value() -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.25"), starts_on=slot.starts_on, ends_on=slot.ends_on)

    refresh_unfilled_fte(slot_id=slot.pk)

    slot.refresh_from_db()
    assert slot.unfilled_fte == Decimal("0.75")


@pytest.mark.django_db
def test_refreshing_a_deleted_slot_does_nothing() -> None:
    assert refresh_unfilled_fte_task(slot_id=987654) is None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_a_slot_through_redis() -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.40"))
    assert RoleSlot.objects.get(pk=slot.pk).unfilled_fte == Decimal("1.00")  # stale until the job runs

    with running_worker() as queue:
        refresh_unfilled_fte_task.apply_async(kwargs={"slot_id": slot.pk}, queue=queue)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if RoleSlot.objects.get(pk=slot.pk).unfilled_fte != Decimal("1.00"):
                break
            time.sleep(0.2)

    assert RoleSlot.objects.get(pk=slot.pk).unfilled_fte == Decimal("0.60")
