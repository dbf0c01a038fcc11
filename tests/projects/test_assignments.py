import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from config.errors import RuleError
from projects.models import Assignment, AssignmentChange, AssignmentStatus
from projects.services import assign_person, change_assignment, propose_team, refresh_unfilled_fte, release_assignment
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = dt.date(2027, 1, 4), dt.date(2027, 2, 1), dt.date(2027, 3, 1)


def audit(person) -> list[tuple[str, dict | None, dict | None]]:
    return [(c.action, c.before, c.after) for c in AssignmentChange.objects.filter(person=person).order_by("id")]


def test_a_confirmed_assignment_is_kept_with_its_audit_entry_and_fills_the_slot(manager: User) -> None:
    slot = RoleSlotFactory(fte=Decimal("0.50"))
    person = PersonFactory(capacity_fte=Decimal("0.80"))

    assignment = assign_person(
        slot=slot,
        person=person,
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        allocation=Decimal("0.50"),
        status=AssignmentStatus.CONFIRMED,
        actor=manager,
    )

    slot.refresh_from_db()
    assert slot.unfilled_fte == Decimal("0.00")
    assert audit(person) == [
        (
            "created",
            None,
            {
                "person": person.pk,
                "slot": slot.pk,
                "starts_on": slot.starts_on.isoformat(),
                "ends_on": slot.ends_on.isoformat(),
                "allocation": "0.50",
                "status": "confirmed",
            },
        )
    ]
    assert AssignmentChange.objects.get().changed_by == manager
    assert assignment.created_by == manager


def test_confirming_beyond_capacity_is_refused_with_the_day_and_changes_nothing(manager: User) -> None:
    person = PersonFactory(name="Ada Byrne", capacity_fte=Decimal("1.00"))
    AssignmentFactory(person=person, allocation=Decimal("0.70"), starts_on=FEB, ends_on=MAR)
    slot = RoleSlotFactory()

    with pytest.raises(RuleError, match=r"Ada Byrne would be booked at 1.10 FTE on 1 Feb 2027, above their capacity"):
        assign_person(
            slot=slot,
            person=person,
            starts_on=JAN,
            ends_on=FEB,
            allocation=Decimal("0.40"),
            status=AssignmentStatus.CONFIRMED,
            actor=manager,
        )

    assert Assignment.objects.filter(slot=slot).count() == 0
    assert AssignmentChange.objects.count() == 0


def test_a_tentative_assignment_may_exceed_capacity(manager: User) -> None:
    person = PersonFactory(capacity_fte=Decimal("0.50"))
    AssignmentFactory(person=person, allocation=Decimal("0.50"))
    slot = RoleSlotFactory()

    assign_person(
        slot=slot,
        person=person,
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        allocation=Decimal("0.50"),
        actor=manager,
    )

    assert Assignment.objects.filter(slot=slot, status="tentative").count() == 1


def test_confirming_a_tentative_assignment_checks_capacity(manager: User) -> None:
    person = PersonFactory(capacity_fte=Decimal("0.50"))
    AssignmentFactory(person=person, allocation=Decimal("0.30"))
    tentative = AssignmentFactory(person=person, allocation=Decimal("0.30"), status=AssignmentStatus.TENTATIVE)

    with pytest.raises(RuleError, match=r"above their capacity of 0\.50 FTE"):
        change_assignment(assignment=tentative, status=AssignmentStatus.CONFIRMED, actor=manager)

    tentative.refresh_from_db()
    assert tentative.status == "tentative"


def test_an_assignment_outside_the_slot_dates_is_refused(manager: User) -> None:
    slot = RoleSlotFactory(starts_on=FEB, ends_on=MAR)

    with pytest.raises(ValidationError) as refused:
        assign_person(
            slot=slot, person=PersonFactory(), starts_on=JAN, ends_on=MAR, allocation=Decimal("1.5"), actor=manager
        )

    assert refused.value.message_dict == {
        "starts_on": ["Must lie within the slot's dates, 1 Feb 2027 to 1 Mar 2027."],
        "allocation": ["Must be between 0.01 and the slot's 1.00 FTE."],
    }
    assert Assignment.objects.count() == 0


def test_changing_and_releasing_are_audited_with_before_and_after(manager: User) -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    assignment = AssignmentFactory(slot=slot, allocation=Decimal("0.50"))
    person = assignment.person

    change_assignment(assignment=assignment, allocation=Decimal("0.80"), actor=manager)
    release_assignment(assignment=assignment, actor=manager)

    assert [
        (action, (before or {}).get("allocation"), (after or {}).get("allocation"))
        for action, before, after in audit(person)
    ] == [("updated", "0.50", "0.80"), ("released", "0.80", None)]
    slot.refresh_from_db()
    assert slot.unfilled_fte == Decimal("1.00")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_person_cannot_be_confirmed_twice_on_one_slot(manager: User) -> None:
    existing = AssignmentFactory(allocation=Decimal("0.20"))

    with pytest.raises(RuleError, match="already confirmed on this slot"):
        assign_person(
            slot=existing.slot,
            person=existing.person,
            starts_on=existing.starts_on,
            ends_on=existing.ends_on,
            allocation=Decimal("0.20"),
            status="confirmed",
            actor=manager,
        )


def test_a_suggested_team_is_proposed_as_tentative_assignments_for_the_unfilled_fte(manager: User) -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.40"))
    slot = refresh_unfilled_fte(slot_id=slot.pk)
    person = PersonFactory()

    [proposed] = propose_team(project=slot.project, picks=[(slot.pk, person.pk)], actor=manager)

    assert (proposed.person, proposed.status, proposed.allocation) == (person, "tentative", Decimal("0.60"))


def test_a_stale_suggestion_proposes_nobody(manager: User) -> None:
    slot = RoleSlotFactory()
    other_project_slot = RoleSlotFactory()
    person = PersonFactory()

    with pytest.raises(RuleError, match="no longer matches the project"):
        propose_team(project=slot.project, picks=[(slot.pk, person.pk), (other_project_slot.pk, person.pk)],
                     actor=manager)  # fmt: skip

    assert Assignment.objects.count() == 0
