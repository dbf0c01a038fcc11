"""``GET holidays/`` for everyone signed in; managers add closures and remove them."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from people.calendar import add_closure
from people.models import Closure
from tests.conftest import API

pytestmark = pytest.mark.django_db

CHRISTMAS_2026 = [
    {"date": "2026-12-24", "name": "Christmas Eve", "source": "closure"},
    {"date": "2026-12-25", "name": "Christmas Day", "source": "region"},
    {"date": "2026-12-26", "name": "Boxing Day", "source": "region"},
    {"date": "2026-12-28", "name": "Boxing Day (observed)", "source": "region"},
]


def closures() -> list[tuple]:
    return list(Closure.objects.values_list("date", "name", "created_by__username"))


@pytest.mark.parametrize("persona", ["manager_api", "lead_api", "viewer_api", "outsider_api", "integration_api"])
def test_everyone_signed_in_reads_a_years_holidays_by_date(
    request: pytest.FixtureRequest, persona: str, manager: User
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    response = request.getfixturevalue(persona).get(API + "holidays/", {"year": 2026})

    assert response.status_code == 200
    assert response.json()[-4:] == CHRISTMAS_2026
    assert response.json()[0] == {"date": "2026-01-01", "name": "New Year's Day", "source": "region"}
    assert len(response.json()) == 10


def test_the_year_is_this_year_when_left_out(viewer_api: APIClient) -> None:
    this_year = timezone.localdate().year

    response = viewer_api.get(API + "holidays/")

    assert response.json()[0] == {"date": f"{this_year}-01-01", "name": "New Year's Day", "source": "region"}


@pytest.mark.parametrize("year", ["1899", "2101", "soon"])
def test_a_year_out_of_bounds_is_refused(viewer_api: APIClient, year: str) -> None:
    response = viewer_api.get(API + "holidays/", {"year": year})

    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_without_credentials_the_holidays_are_refused(anonymous_api: APIClient) -> None:
    assert anonymous_api.get(API + "holidays/").status_code == 401


@pytest.mark.parametrize("count", [1, 3])
def test_the_holidays_list_runs_the_same_queries_for_one_or_three_closures(
    viewer_api: APIClient, manager: User, django_assert_num_queries, count: int
) -> None:
    for day in range(count):
        add_closure(day=date(2026, 7, 1 + day), name=f"Away day {day}", actor=manager)

    # the token with its user; the closures
    with django_assert_num_queries(2):
        response = viewer_api.get(API + "holidays/", {"year": 2026})

    assert sum(holiday["source"] == "closure" for holiday in response.json()) == count


def test_a_manager_adds_a_closure_recorded_with_who(manager_api: APIClient, manager: User) -> None:
    response = manager_api.post(API + "holidays/", {"date": "2026-12-24", "name": "Christmas Eve"}, format="json")

    assert response.status_code == 201
    assert response.json() == {"date": "2026-12-24", "name": "Christmas Eve", "source": "closure"}
    assert closures() == [(date(2026, 12, 24), "Christmas Eve", "manager")]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"date": "2026-12-25", "name": "Christmas"},
            {"date": ["25 Dec 2026 is already a public holiday (Christmas Day); it needs no closure."]},
        ),
        ({"date": "2026-12-24", "name": "Again"}, {"date": ["24 Dec 2026 is already a closure."]}),
        (
            {"date": "24/12/2026", "name": "Eve"},
            {"date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        ({"date": "2026-12-23"}, {"name": ["This field is required."]}),
    ],
)
def test_a_closure_on_a_holiday_or_with_bad_input_is_refused_and_nothing_changes(
    manager_api: APIClient, manager: User, body: dict, errors: dict
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    response = manager_api.post(API + "holidays/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert closures() == [(date(2026, 12, 24), "Christmas Eve", "manager")]


@pytest.mark.parametrize("persona", ["lead_api", "viewer_api", "integration_api"])
def test_only_managers_add_and_remove_closures(request: pytest.FixtureRequest, persona: str, manager: User) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)
    api = request.getfixturevalue(persona)

    added = api.post(API + "holidays/", {"date": "2026-12-23", "name": "Eve's eve"}, format="json")
    removed = api.delete(API + "holidays/2026-12-24/")

    assert (added.status_code, removed.status_code) == (403, 403)
    assert added.json() == {"detail": "Only managers add and remove closures."}
    assert closures() == [(date(2026, 12, 24), "Christmas Eve", "manager")]


def test_a_manager_removes_a_closure_and_it_is_logged(
    manager_api: APIClient, manager: User, caplog: pytest.LogCaptureFixture
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    with caplog.at_level("INFO", logger="people.calendar"):
        response = manager_api.delete(API + "holidays/2026-12-24/")

    assert response.status_code == 204
    assert closures() == []
    assert "manager removed the closure 2026-12-24 (Christmas Eve)" in caplog.messages


@pytest.mark.parametrize(
    ("day", "status", "body"),
    [
        ("2026-12-23", 404, {"detail": "There is no closure on 23 Dec 2026."}),
        (
            "2026-12-25",
            409,
            {
                "detail": "25 Dec 2026 is a public holiday of the region (Christmas Day), not a closure; "
                "it cannot be removed."
            },
        ),
        ("christmas", 400, {"date": ["Give the date as YYYY-MM-DD."]}),
    ],
)
def test_only_a_closure_can_be_removed(
    manager_api: APIClient, manager: User, day: str, status: int, body: dict
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    response = manager_api.delete(API + f"holidays/{day}/")

    assert (response.status_code, response.json()) == (status, body)
    assert len(closures()) == 1
