"""Business days (DESIGN.md §3.1): Monday to Friday minus the region's public holidays and closures."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings

from config.errors import RuleError
from people.calendar import (
    CLOSURE,
    REGION,
    Holiday,
    add_closure,
    business_day_mask,
    business_days,
    check_region,
    holidays_between,
    parse_region,
    remove_closure,
)
from people.models import Closure

pytestmark = pytest.mark.django_db


def test_a_weekend_is_not_a_business_day() -> None:
    # Fri 6 Nov 2026 .. Mon 9 Nov 2026: Saturday and Sunday drop out
    assert business_days(starts_on=date(2026, 11, 6), ends_on=date(2026, 11, 9)) == [
        date(2026, 11, 6),
        date(2026, 11, 9),
    ]


def test_christmas_and_the_substitute_boxing_day_are_not_business_days() -> None:
    # Thu 24 Dec 2026 .. Tue 29 Dec 2026: Christmas Day is a Friday, Boxing Day a Saturday whose
    # bank holiday moves to Monday 28 Dec; the weekend is off anyway.
    assert business_days(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 29)) == [
        date(2026, 12, 24),
        date(2026, 12, 29),
    ]


def test_a_closure_is_not_a_business_day(manager) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    assert business_days(starts_on=date(2026, 12, 21), ends_on=date(2026, 12, 31)) == [
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
    ]


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2026, 12, 26), date(2026, 12, 28)),  # Saturday, Sunday, substitute Boxing Day
        (date(2026, 11, 7), date(2026, 11, 8)),  # a weekend
        (date(2026, 11, 9), date(2026, 11, 8)),  # ends before it starts
    ],
)
def test_a_range_with_no_business_day_gives_none(starts_on: date, ends_on: date) -> None:
    assert business_days(starts_on=starts_on, ends_on=ends_on) == []
    assert not business_day_mask(starts_on=starts_on, ends_on=ends_on).any()


def test_the_mask_has_one_element_per_day_true_on_business_days() -> None:
    mask = business_day_mask(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 29))

    assert mask.tolist() == [True, False, False, False, False, True]


def test_the_holidays_of_a_range_list_the_region_and_closures_by_date(manager, django_assert_num_queries) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    with django_assert_num_queries(1):  # the closures
        holidays = holidays_between(starts_on=date(2026, 12, 20), ends_on=date(2027, 1, 2))

    assert holidays == [
        Holiday(date(2026, 12, 24), "Christmas Eve", CLOSURE),
        Holiday(date(2026, 12, 25), "Christmas Day", REGION),
        Holiday(date(2026, 12, 26), "Boxing Day", REGION),
        Holiday(date(2026, 12, 28), "Boxing Day (observed)", REGION),
        Holiday(date(2027, 1, 1), "New Year's Day", REGION),
    ]


def test_a_closure_records_who_added_it(manager) -> None:
    closure = add_closure(day=date(2026, 8, 14), name="  Office move  ", actor=manager)

    assert (closure.date, closure.name, closure.created_by) == (date(2026, 8, 14), "Office move", manager)


@pytest.mark.parametrize(
    ("day", "name", "message"),
    [
        (
            date(2026, 12, 25),
            "Christmas",
            {"date": ["25 Dec 2026 is already a public holiday (Christmas Day); it needs no closure."]},
        ),
        (date(2026, 12, 24), "Again", {"date": ["24 Dec 2026 is already a closure."]}),
        (date(2026, 12, 23), "   ", {"name": ["Give the closure a name."]}),
        (date(1899, 12, 22), "Too early", {"date": ["Choose a date from 1900 to 2100."]}),
    ],
)
def test_a_closure_is_refused_with_a_reason_and_nothing_changes(manager, day: date, name: str, message: dict) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    with pytest.raises(ValidationError) as refused:
        add_closure(day=day, name=name, actor=manager)

    assert refused.value.message_dict == message
    assert list(Closure.objects.values_list("date", flat=True)) == [date(2026, 12, 24)]


def test_removing_a_closure_is_logged_with_who(manager, caplog: pytest.LogCaptureFixture) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    with caplog.at_level("INFO", logger="people.calendar"):
        remove_closure(day=date(2026, 12, 24), actor=manager)

    assert not Closure.objects.exists()
    assert f"{manager} removed the closure 2026-12-24 (Christmas Eve)" in caplog.messages


def test_a_public_holiday_cannot_be_removed_and_a_missing_closure_is_not_found(manager) -> None:
    with pytest.raises(RuleError, match="25 Dec 2026 is a public holiday of the region"):
        remove_closure(day=date(2026, 12, 25), actor=manager)
    with pytest.raises(Closure.DoesNotExist):
        remove_closure(day=date(2026, 12, 23), actor=manager)


def test_the_region_is_read_from_the_setting() -> None:
    with override_settings(HOLIDAY_REGION="GB-SCT"):
        # Scotland keeps 2 January; England does not
        assert [h.name for h in holidays_between(starts_on=date(2026, 1, 2), ends_on=date(2026, 1, 2))] == [
            "New Year Holiday"
        ]
    assert holidays_between(starts_on=date(2026, 1, 2), ends_on=date(2026, 1, 2)) == []


@pytest.mark.parametrize(("region", "parsed"), [("GB-ENG", ("GB", "ENG")), ("fr", ("FR", None)), ("GB", ("GB", None))])
def test_a_known_region_is_a_country_and_maybe_a_subdivision(region: str, parsed: tuple) -> None:
    assert parse_region(region) == parsed


@pytest.mark.parametrize(
    ("region", "message"),
    [("XX", "not a region the holidays package knows"), ("GB-XYZ", "GB has no subdivision 'XYZ'")],
)
def test_an_unknown_region_stops_the_start_with_a_clear_error(region: str, message: str) -> None:
    with override_settings(HOLIDAY_REGION=region), pytest.raises(ImproperlyConfigured, match=message):
        check_region()
