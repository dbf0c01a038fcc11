"""The request form's limits (a range of at most three years, a few reports waiting per person), and a
dashboard headline whose cost does not grow with the organisation report's range."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from staffing.models import Report
from tests.builders import page_text
from tests.factories import build_organisation_report, build_staffed_project, finish_report

pytestmark = pytest.mark.django_db

ORGANISATION = {"kind": "organisation", "starts_on": "2027-01-04", "ends_on": "2027-03-28"}


def test_the_form_says_how_long_a_range_may_be(signed_in: Callable[[User], Client], lead: User) -> None:
    text = page_text(signed_in(lead).get(reverse("report_request")).content)

    assert "A range covers at most 3 years." in text


def test_a_longer_range_is_refused_beside_its_last_day(signed_in: Callable[[User], Client], lead: User) -> None:
    response = signed_in(lead).post(
        reverse("report_request"), {"kind": "organisation", "starts_on": "0001-01-01", "ends_on": "9999-12-31"}
    )

    assert response.context["form"].errors == {
        "ends_on": ["An organisation report covers at most 3 years: choose a last day on or before 31 Dec 3."]
    }
    assert 'id="id_ends_on_error"' in response.content.decode()
    assert not Report.objects.exists()


def test_a_fourth_waiting_report_is_refused_with_a_message(signed_in: Callable[[User], Client], lead: User) -> None:
    client = signed_in(lead)
    for _ in range(3):
        assert client.post(reverse("report_request"), ORGANISATION).status_code == 302

    response = client.post(reverse("report_request"), ORGANISATION)

    assert response.status_code == 429
    assert (
        "You already have 3 reports queued or being computed. "
        "Request another once one of them has finished or failed." in page_text(response.content)
    )
    assert response.context["form"]["starts_on"].value() == "2027-01-04"  # what was typed stays
    assert Report.objects.filter(requested_by=lead).count() == 3


@pytest.mark.parametrize("weeks", [1, 5000])
def test_the_dashboard_reads_only_the_gaps_of_the_latest_organisation_report(
    weeks: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    build_staffed_project()
    report = finish_report(build_organisation_report())
    first = dt.date(2027, 1, 4)
    weekly = [
        {"week": (first + dt.timedelta(weeks=week)).isoformat(), "phase": "implementation", "fte": 1.0}
        for week in range(weeks)
    ]
    Report.objects.filter(pk=report.pk).update(result=report.result | {"weekly_demand": weekly})
    client = signed_in(manager)

    # session, user, the user's person, the user's groups, the latest organisation report with its gaps
    # (not its whole result), the names of its skills with the largest gaps, projects ranked per phase
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard"))

    assert "result" in response.context["organisation_report"].get_deferred_fields()
    assert "Statistics at level 4 : 0.50 FTE short (demand 0.50, supply 0.00)" in page_text(response.content)
