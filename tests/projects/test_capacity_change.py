"""Lowering a capacity keeps the capacity rule (DESIGN.md §3.1): refused from the first day it breaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from config.errors import RuleError
from people.models import Person
from people.services import update_person
from projects.models import AssignmentStatus
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory
from ui.formats import format_date

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def book(person: Person, first: int, last: int, allocation: str, status: str = AssignmentStatus.CONFIRMED) -> None:
    slot = RoleSlotFactory(starts_on=in_days(first), ends_on=in_days(last))
    AssignmentFactory(person=person, slot=slot, allocation=Decimal(allocation), status=status)


def test_a_capacity_below_the_confirmed_load_is_refused_with_the_first_day_it_breaks() -> None:
    ada = PersonFactory(name="Ada Byrne", capacity_fte=Decimal("1.00"))
    book(ada, 1, 30, "0.40")
    book(ada, 10, 12, "0.30")
    day = in_days(10)

    with pytest.raises(RuleError) as refused:
        update_person(person=ada, changes={"capacity_fte": Decimal("0.60")})

    assert refused.value.message == (
        f"Ada Byrne is booked at 0.70 FTE on {format_date(day)}, above the new capacity of 0.60 FTE."
    )
    ada.refresh_from_db()
    assert ada.capacity_fte == Decimal("1.00")


def test_a_capacity_that_still_holds_the_confirmed_load_is_saved() -> None:
    ada = PersonFactory(capacity_fte=Decimal("1.00"))
    book(ada, 1, 30, "0.40")
    book(ada, 10, 12, "0.30")
    book(ada, 5, 8, "0.90", status=AssignmentStatus.TENTATIVE)  # tentative work does not count

    update_person(person=ada, changes={"capacity_fte": Decimal("0.70")})

    ada.refresh_from_db()
    assert ada.capacity_fte == Decimal("0.70")


def test_only_days_from_today_on_count() -> None:
    ada = PersonFactory(capacity_fte=Decimal("1.00"))
    book(ada, -30, -1, "0.90")
    book(ada, -5, 5, "0.50")

    update_person(person=ada, changes={"capacity_fte": Decimal("0.50")})

    ada.refresh_from_db()
    assert ada.capacity_fte == Decimal("0.50")


def test_a_raise_is_never_refused_even_for_someone_already_over() -> None:
    ada = PersonFactory(capacity_fte=Decimal("0.50"))
    book(ada, 1, 5, "0.90")  # booked before their capacity was lowered by hand

    update_person(person=ada, changes={"capacity_fte": Decimal("0.80"), "name": "Ada B."})

    ada.refresh_from_db()
    assert (ada.capacity_fte, ada.name) == (Decimal("0.80"), "Ada B.")
