"""The holidays page: a year's public holidays and closures; managers add and remove closures."""

import logging
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from people.calendar import add_closure
from people.models import Closure
from tests.builders import messages_of, page_text

pytestmark = pytest.mark.django_db

PAGE = reverse("holiday_list")


def closures() -> list[tuple]:
    return list(Closure.objects.values_list("date", "name", "created_by__username"))


def remove_page(day: str) -> str:
    return reverse("closure_remove", args=[day])


@pytest.mark.parametrize("persona", ["manager", "lead", "viewer"])
def test_everyone_signed_in_sees_the_years_holidays_by_date_in_the_product_format(
    request: pytest.FixtureRequest, persona: str, signed_in: Callable[[User], Client], manager: User
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)
    client = signed_in(request.getfixturevalue(persona))

    response = client.get(PAGE, {"year": 2026})
    text = page_text(response.content)

    assert response.status_code == 200
    assert "Holidays 2026" in text
    assert "1 Jan 2026 New Year's Day Public holiday" in text
    assert "24 Dec 2026 Christmas Eve Closure" in text
    assert "28 Dec 2026 Boxing Day (observed) Public holiday" in text
    assert "← 2025" in text
    assert "2027 →" in text


def test_managers_see_the_closure_form_and_remove_links_others_do_not(
    signed_in: Callable[[User], Client], manager: User, lead: User
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    as_manager = signed_in(manager).get(PAGE, {"year": 2026}).content.decode()
    as_lead = signed_in(lead).get(PAGE, {"year": 2026}).content.decode()

    assert "Add a closure" in as_manager
    assert f'href="{remove_page("2026-12-24")}"' in as_manager
    assert as_manager.count("/remove/") == 1  # public holidays cannot be removed
    assert "Add a closure" not in as_lead
    assert "/remove/" not in as_lead


def test_the_page_shows_this_year_by_default_and_for_a_year_out_of_bounds(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    this_year = timezone.localdate().year
    client = signed_in(viewer)

    assert f"Holidays {this_year}" in page_text(client.get(PAGE).content)
    assert f"Holidays {this_year}" in page_text(client.get(PAGE, {"year": "3000"}).content)
    assert f"Holidays {this_year}" in page_text(client.get(PAGE, {"year": "soon"}).content)


def test_a_year_without_holidays_shows_the_empty_state(signed_in: Callable[[User], Client], viewer: User) -> None:
    # Ukraine's calendar in the holidays package begins after 1900
    with override_settings(HOLIDAY_REGION="UA"):
        text = page_text(signed_in(viewer).get(PAGE, {"year": 1900}).content)

    assert "No holidays in 1900." in text
    assert "← 1899" not in text  # the first year shown


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    for url in [PAGE, remove_page("2026-12-24")]:
        response = client.get(url)

        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_runs_the_same_queries_for_one_or_three_closures(
    count: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    for day in range(count):
        add_closure(day=date(2026, 7, 1 + day), name=f"Away day {day}", actor=manager)
    client = signed_in(manager)

    # session, user, the user's groups (may they change closures), the closures
    with django_assert_num_queries(4):
        response = client.get(PAGE, {"year": 2026})

    assert page_text(response.content).count("Closure Remove the closure Away day") == count


def test_a_manager_adds_a_closure_and_returns_to_its_year(signed_in: Callable[[User], Client], manager: User) -> None:
    client = signed_in(manager)

    response = client.post(PAGE, {"date": "2027-08-13", "name": "Office move"}, follow=True)

    assert response.redirect_chain[-1][0] == f"{PAGE}?year=2027"
    assert messages_of(response) == ["Added the closure Office move on 13 Aug 2027."]
    assert "13 Aug 2027 Office move Closure" in page_text(response.content)
    assert closures() == [(date(2027, 8, 13), "Office move", "manager")]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"date": "2026-12-25", "name": "Christmas"}, "25 Dec 2026 is already a public holiday (Christmas Day)"),
        ({"date": "2026-12-24", "name": "Again"}, "24 Dec 2026 is already a closure."),
        ({"date": "", "name": "Nothing"}, "This field is required."),
        ({"date": "2026-12-23", "name": ""}, "This field is required."),
    ],
)
def test_a_refused_closure_shows_the_form_again_with_the_reason(
    signed_in: Callable[[User], Client], manager: User, data: dict, error: str
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)

    response = signed_in(manager).post(PAGE, data)

    assert response.status_code == 400
    assert "Nothing was saved" in page_text(response.content)
    assert error in page_text(response.content)
    assert closures() == [(date(2026, 12, 24), "Christmas Eve", "manager")]


def test_a_manager_removes_a_closure_after_confirming_and_it_is_logged(
    signed_in: Callable[[User], Client], manager: User, caplog: pytest.LogCaptureFixture
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)
    client = signed_in(manager)

    confirm = client.get(remove_page("2026-12-24"))
    assert "Remove the closure Christmas Eve?" in page_text(confirm.content)
    assert "24 Dec 2026 becomes a business day again; manager added this closure." in page_text(confirm.content)
    assert len(closures()) == 1  # asking changes nothing

    with caplog.at_level(logging.INFO, logger="people.calendar"):
        response = client.post(remove_page("2026-12-24"), follow=True)

    assert response.redirect_chain[-1][0] == f"{PAGE}?year=2026"
    assert messages_of(response) == ["Removed the closure Christmas Eve on 24 Dec 2026."]
    assert closures() == []
    assert "manager removed the closure 2026-12-24 (Christmas Eve)" in caplog.messages


@pytest.mark.parametrize("day", ["2026-12-25", "2026-12-23", "christmas"])
def test_only_a_closure_has_a_remove_page(signed_in: Callable[[User], Client], manager: User, day: str) -> None:
    assert signed_in(manager).post(remove_page(day)).status_code == 404


@pytest.mark.parametrize("persona", ["lead", "viewer"])
def test_only_managers_add_and_remove_closures(
    request: pytest.FixtureRequest, persona: str, signed_in: Callable[[User], Client], manager: User
) -> None:
    add_closure(day=date(2026, 12, 24), name="Christmas Eve", actor=manager)
    client = signed_in(request.getfixturevalue(persona))

    assert client.post(PAGE, {"date": "2026-12-23", "name": "Eve's eve"}).status_code == 403
    assert client.get(remove_page("2026-12-24")).status_code == 403
    assert client.post(remove_page("2026-12-24")).status_code == 403
    assert closures() == [(date(2026, 12, 24), "Christmas Eve", "manager")]
