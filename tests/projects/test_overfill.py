"""The over-fill rule (DESIGN.md §3.1): a slot's confirmed cover never exceeds its FTE unless the change says so."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection

from config.errors import RuleError
from projects.models import Assignment, AssignmentChange, AssignmentStatus, RoleSlot
from projects.services import (
    OverfillError,
    assign_person,
    change_assignment,
    propose_team,
    release_assignment,
    update_slot,
)
from tests.factories import AssignmentFactory, PersonFactory, ProjectFactory, RoleSlotFactory

JAN, FEB, MAR = dt.date(2027, 1, 4), dt.date(2027, 2, 1), dt.date(2027, 3, 1)
CONFIRMED, TENTATIVE = AssignmentStatus.CONFIRMED, AssignmentStatus.TENTATIVE


def half_slot() -> RoleSlot:
    """A 0.50 FTE slot, 4 Jan to 30 Jun 2027, with someone confirmed at 0.50 on it."""
    slot = RoleSlotFactory(title="Modeller", fte=Decimal("0.50"), unfilled_fte=Decimal("0.00"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.50"))
    return slot


def confirm(slot: RoleSlot, actor: User | None, allocation: str = "0.50", **fields: object) -> Assignment:
    arguments: dict = {"starts_on": slot.starts_on, "ends_on": slot.ends_on} | fields
    return assign_person(
        slot=slot, person=PersonFactory(), allocation=Decimal(allocation), status=CONFIRMED, actor=actor, **arguments
    )


@pytest.mark.django_db
def test_a_second_confirmed_half_on_a_half_slot_is_refused_with_the_day_and_figures(manager: User) -> None:
    slot = half_slot()

    with pytest.raises(OverfillError) as refusal:
        confirm(slot, manager)

    assert (
        refusal.value.message
        == "“Modeller” would be over-filled: 1.00 FTE confirmed on 4 Jan 2027, above its 0.50 FTE."
    )
    assert (refusal.value.overfill.day, refusal.value.overfill.covered, refusal.value.overfill.fte) == (
        JAN,
        Decimal("1.00"),
        Decimal("0.50"),
    )
    assert Assignment.objects.filter(slot=slot).count() == 1
    assert AssignmentChange.objects.count() == 0


@pytest.mark.django_db
def test_the_refusal_names_the_first_day_the_cover_goes_over(manager: User) -> None:
    slot = RoleSlotFactory(title="Modeller", fte=Decimal("0.50"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"), starts_on=FEB, ends_on=MAR)

    with pytest.raises(OverfillError, match=r"0.70 FTE confirmed on 1 Feb 2027, above its 0.50 FTE"):
        confirm(slot, manager, allocation="0.40", starts_on=JAN, ends_on=MAR)
    # Beside February, 0.40 fits.
    confirm(slot, manager, allocation="0.20", starts_on=JAN, ends_on=MAR)
    confirm(slot, manager, allocation="0.50", starts_on=MAR + dt.timedelta(days=1), ends_on=slot.ends_on)


@pytest.mark.django_db
def test_allow_overfill_confirms_a_handover_and_flags_the_slot_until_it_is_over(manager: User) -> None:
    slot = half_slot()

    newcomer = confirm(slot, manager, allow_overfill=True)

    slot.refresh_from_db()
    assert (slot.overfilled, slot.unfilled_fte) == (True, Decimal("0.00"))
    release_assignment(assignment=newcomer, actor=manager)
    slot.refresh_from_db()
    assert slot.overfilled is False


@pytest.mark.django_db
def test_a_tentative_assignment_may_over_fill_until_it_is_confirmed(manager: User) -> None:
    slot = half_slot()
    proposal = assign_person(
        slot=slot,
        person=PersonFactory(),
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        allocation=Decimal("0.50"),
        status=TENTATIVE,
        actor=manager,
    )

    with pytest.raises(OverfillError, match=r"1\.00 FTE confirmed on 4 Jan 2027"):
        change_assignment(assignment=proposal, status=CONFIRMED, actor=manager)
    proposal.refresh_from_db()
    assert proposal.status == TENTATIVE

    change_assignment(assignment=proposal, status=CONFIRMED, allow_overfill=True, actor=manager)
    proposal.refresh_from_db()
    slot.refresh_from_db()
    assert (proposal.status, slot.overfilled) == (CONFIRMED, True)


@pytest.mark.django_db
def test_raising_a_confirmed_allocation_or_moving_it_onto_covered_days_over_fills(manager: User) -> None:
    slot = RoleSlotFactory(title="Modeller", fte=Decimal("0.50"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.20"), starts_on=MAR, ends_on=slot.ends_on)
    mine = AssignmentFactory(slot=slot, allocation=Decimal("0.20"), starts_on=JAN, ends_on=MAR - dt.timedelta(days=1))

    with pytest.raises(OverfillError, match=r"0\.60 FTE confirmed on 4 Jan 2027"):
        change_assignment(assignment=mine, allocation=Decimal("0.30"), actor=manager)
    with pytest.raises(OverfillError, match=r"0\.70 FTE confirmed on 1 Mar 2027"):
        change_assignment(assignment=mine, ends_on=MAR, actor=manager)

    change_assignment(assignment=mine, starts_on=FEB, actor=manager)
    mine.refresh_from_db()
    assert (mine.starts_on, mine.ends_on, mine.allocation) == (FEB, MAR - dt.timedelta(days=1), Decimal("0.20"))


@pytest.mark.django_db
def test_easing_an_over_filled_slot_is_never_refused(manager: User) -> None:
    slot = half_slot()
    extra = confirm(slot, manager, allocation="0.40", allow_overfill=True)

    change_assignment(assignment=extra, allocation=Decimal("0.10"), actor=manager)  # still 0.60 > 0.50
    change_assignment(assignment=extra, status=TENTATIVE, actor=manager)

    slot.refresh_from_db()
    assert slot.overfilled is False


@pytest.mark.django_db
def test_lowering_a_slots_fte_below_its_confirmed_cover_is_an_over_fill(manager: User) -> None:
    slot = RoleSlotFactory(title="Modeller", fte=Decimal("0.50"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"), starts_on=FEB, ends_on=MAR)

    with pytest.raises(OverfillError) as refusal:
        update_slot(slot=slot, fte=Decimal("0.10"), actor=manager)

    assert refusal.value.message == "“Modeller” has 0.30 FTE confirmed on 1 Feb 2027, above the new 0.10 FTE."
    slot.refresh_from_db()
    assert slot.fte == Decimal("0.50")

    update_slot(slot=slot, fte=Decimal("0.30"), actor=manager)  # down to the cover is fine
    update_slot(slot=slot, fte=Decimal("0.20"), allow_overfill=True, actor=manager)
    slot.refresh_from_db()
    assert (slot.fte, slot.overfilled) == (Decimal("0.20"), True)
    update_slot(slot=slot, fte=Decimal("0.25"), actor=manager)  # raising never over-fills more
    slot.refresh_from_db()
    assert (slot.fte, slot.overfilled) == (Decimal("0.25"), True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_over_fill_a_slot() -> None:
    """Eight people are confirmed at 0.30 on a 1.00 slot at the same moment: the slot's lock lets three in."""
    slot = RoleSlotFactory(project=ProjectFactory(), fte=Decimal("1.00"))
    people = [PersonFactory() for _ in range(8)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(people))

    def attempt(index: int) -> None:
        barrier.wait()
        try:
            assign_person(
                slot=slot,
                person=people[index],
                starts_on=slot.starts_on,
                ends_on=slot.ends_on,
                allocation=Decimal("0.30"),
                status=CONFIRMED,
                actor=None,
            )
            outcomes.append("confirmed")
        except RuleError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    slot.refresh_from_db()
    assert (outcomes.count("confirmed"), outcomes.count("refused")) == (3, 5)
    assert (slot.unfilled_fte, slot.overfilled) == (Decimal("0.10"), False)


# --- Applying a suggested team never stacks proposals -------------------------------------------


@pytest.mark.django_db
def test_applying_the_same_suggestion_twice_adds_nothing_the_second_time(manager: User) -> None:
    slot = RoleSlotFactory(fte=Decimal("0.60"))
    first, second = PersonFactory(), PersonFactory()

    made = propose_team(project=slot.project, picks=[(slot.pk, first.pk)], actor=manager)
    again = propose_team(project=slot.project, picks=[(slot.pk, first.pk)], actor=manager)
    other = propose_team(project=slot.project, picks=[(slot.pk, second.pk)], actor=manager)

    assert [(a.person, a.allocation, a.status) for a in made] == [(first, Decimal("0.60"), TENTATIVE)]
    assert (again, other) == ([], [])
    assert Assignment.objects.filter(slot=slot).count() == 1


@pytest.mark.django_db
def test_a_partly_proposed_slot_gets_a_proposal_for_the_rest_only(manager: User) -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"))  # confirmed
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"), status=TENTATIVE)
    person = PersonFactory()

    [made] = propose_team(project=slot.project, picks=[(slot.pk, person.pk)], actor=manager)

    assert (made.person, made.allocation, made.status) == (person, Decimal("0.40"), TENTATIVE)
