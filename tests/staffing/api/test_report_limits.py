"""What one report request may ask for: a range of at most three years, and a few reports in the queue
at once per requester."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from staffing.models import Report
from staffing.services import MAX_PENDING_REPORTS, MAX_REPORT_YEARS
from tests.conftest import API
from tests.factories import build_organisation_report

pytestmark = pytest.mark.django_db

REPORTS = API + "reports/"
TOO_MANY = (
    "You already have 3 reports queued or being computed. Request another once one of them has finished or failed."
)


def organisation(starts_on: str, ends_on: str) -> dict[str, Any]:
    return {"kind": "organisation", "starts_on": starts_on, "ends_on": ends_on}


def test_the_limits_are_three_years_and_three_reports() -> None:
    assert (MAX_REPORT_YEARS, MAX_PENDING_REPORTS) == (3, 3)


def test_a_range_of_three_years_is_accepted(manager_api: APIClient) -> None:
    response = manager_api.post(REPORTS, organisation("2027-01-04", "2030-01-03"), format="json")

    assert response.status_code == 202
    assert Report.objects.values_list("starts_on", "ends_on").get() == (dt.date(2027, 1, 4), dt.date(2030, 1, 3))


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "last_day"),
    [
        ("2027-01-04", "2030-01-04", "3 Jan 2030"),
        ("0001-01-01", "9999-12-31", "31 Dec 3"),
        ("2028-02-29", "2031-03-01", "28 Feb 2031"),
    ],
)
def test_a_longer_range_is_refused_with_the_last_day_allowed(
    manager_api: APIClient, starts_on: str, ends_on: str, last_day: str
) -> None:
    response = manager_api.post(REPORTS, organisation(starts_on, ends_on), format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"ends_on": [f"An organisation report covers at most 3 years: choose a last day on or before {last_day}."]},
    )
    assert not Report.objects.exists()


def test_a_range_at_the_end_of_the_calendar_is_checked_without_error(manager_api: APIClient) -> None:
    response = manager_api.post(REPORTS, organisation("9999-01-01", "9999-12-31"), format="json")

    assert response.status_code == 202


def test_a_fourth_report_while_three_wait_is_refused_with_429(lead_api: APIClient, lead: User, manager: User) -> None:
    for _ in range(3):
        assert lead_api.post(REPORTS, organisation("2027-01-04", "2027-03-28"), format="json").status_code == 202
    build_organisation_report(requested_by=manager)  # someone else's does not count
    build_organisation_report()  # nor does the nightly one

    response = lead_api.post(REPORTS, organisation("2027-01-04", "2027-03-28"), format="json")

    assert (response.status_code, response.json()) == (429, {"detail": TOO_MANY})
    assert Report.objects.filter(requested_by=lead).count() == 3


def test_a_running_report_counts_and_a_finished_or_failed_one_does_not(lead_api: APIClient, lead: User) -> None:
    for status in ("running", "done", "failed", "done", "queued"):
        build_organisation_report(requested_by=lead, status=status)

    third = lead_api.post(REPORTS, organisation("2027-01-04", "2027-03-28"), format="json")
    fourth = lead_api.post(REPORTS, organisation("2027-01-04", "2027-03-28"), format="json")

    assert (third.status_code, fourth.status_code) == (202, 429)


def test_another_user_may_still_request_while_one_user_is_at_the_limit(
    manager_api: APIClient, lead: User, manager: User
) -> None:
    for _ in range(3):
        build_organisation_report(requested_by=lead)

    response = manager_api.post(REPORTS, organisation("2027-01-04", "2027-03-28"), format="json")

    assert response.status_code == 202


def test_the_schema_states_both_limits(manager_api: APIClient) -> None:
    schema = manager_api.get(API + "schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    fields = schema["components"]["schemas"]["OrganisationReportRequest"]["properties"]
    responses = schema["paths"]["/api/v1/reports/"]["post"]["responses"]
    assert "at most 3 years" in fields["starts_on"]["description"]
    assert "at most 3 years" in fields["ends_on"]["description"]
    assert "3 reports" in responses["429"]["description"]
