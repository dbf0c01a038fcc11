"""A report shows its reader only what they may read directly: no report, export or dashboard figure
reveals the rating of a person the reader may not see (staff read only their own ratings)."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from projects.models import Project
from skills.models import Skill
from staffing.models import Report
from tests.builders import page_text
from tests.conftest import API
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    build_organisation_report,
    finish_report,
)

pytestmark = pytest.mark.django_db

REPORTS = API + "reports/"


def private_project() -> Project:
    """A project whose one slot asks for every skill at level 5 and whose only confirmed person, Priya
    Private, has twelve ratings of 1 to 4: a covered level or gap would tell her ratings."""
    project = ProjectFactory(name="Readmission risk", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 31))
    slot = RoleSlotFactory(project=project, fte=Decimal("1.00"), title="Risk modeller")
    priya = PersonFactory(name="Priya Private")
    for index, skill in enumerate(Skill.objects.order_by("pk")):
        SlotRequirementFactory(slot=slot, skill=skill, level=5)
        SkillRatingFactory(person=priya, skill=skill, level=1 + index % 4)
    AssignmentFactory(person=priya, slot=slot, allocation=Decimal("1.00"))
    return project


@pytest.fixture
def staff_report(viewer: User) -> Report:
    return finish_report(Report.objects.create(kind="project", project=private_project(), requested_by=viewer))


def coverage_rows(result: dict) -> list[dict]:
    return [row for phase in result["phases"] for row in phase["skills"]]


def test_staff_read_the_required_levels_but_no_covered_level_or_gap(
    viewer_api: APIClient, manager_api: APIClient, staff_report: Report
) -> None:
    mine = viewer_api.get(f"{REPORTS}{staff_report.pk}/").json()["result"]
    managers = manager_api.get(f"{REPORTS}{staff_report.pk}/").json()["result"]

    assert {(row["covered"], row["gap"]) for row in coverage_rows(mine)} == {(None, None)}
    assert [row["required"] for row in coverage_rows(mine)] == [row["required"] for row in coverage_rows(managers)]
    assert {row["covered"] for row in coverage_rows(managers) if row["required"]} == {1, 2, 3, 4}
    assert mine["unfilled"] == managers["unfilled"] == []
    assert mine["training"] == []
    assert [row["person"] for row in managers["training"]]  # Priya's own suggestion, for managers only


def test_the_page_shows_question_marks_and_says_why(
    signed_in: Callable[[User], Client], viewer: User, staff_report: Report
) -> None:
    response = signed_in(viewer).get(reverse("report_detail", args=[staff_report.pk]))
    html, text = response.content.decode(), page_text(response.content)

    assert "covered 1" not in html
    assert "gap 4" not in html
    assert "the level reached is shown to managers and team leads only" in html
    assert (
        "The levels the people confirmed on the project reach come from their ratings, "
        "so they are shown to managers and team leads only." in response.context["sentences"]
    )
    coverage = response.context["main_table"]
    assert {(row[3], row[4]) for row in coverage.rows} == {(None, None)}
    assert "Priya Private" not in text


def test_the_exports_carry_no_covered_level_or_gap(viewer_api: APIClient, staff_report: Report) -> None:
    rows = list(csv.reader(io.StringIO(viewer_api.get(f"{REPORTS}{staff_report.pk}/export.csv").content.decode())))
    assert rows[0] == ["Phase", "Skill", "Required level", "Covered level", "Gap (levels)"]  # the main table
    coverage = rows[1:]
    assert len(coverage) == 36  # three phases, twelve skills
    assert {(row[3], row[4]) for row in coverage} == {("", "")}

    workbook = openpyxl.load_workbook(io.BytesIO(viewer_api.get(f"{REPORTS}{staff_report.pk}/export.xlsx").content))
    sheet = workbook["Phase coverage"]
    assert {(row[3], row[4]) for row in sheet.iter_rows(min_row=2, values_only=True)} == {(None, None)}


def test_managers_and_leads_read_the_figures_whole(
    manager_api: APIClient, lead_api: APIClient, manager: User, lead: User
) -> None:
    project = private_project()
    for reader, client in ((manager, manager_api), (lead, lead_api)):
        finished = finish_report(Report.objects.create(kind="project", project=project, requested_by=reader))
        result = client.get(f"{REPORTS}{finished.pk}/").json()["result"]
        assert None not in {row["covered"] for row in coverage_rows(result)}


def test_staff_dashboards_show_no_organisation_figures(
    signed_in: Callable[[User], Client], viewer: User, manager: User
) -> None:
    private_project()
    finish_report(build_organisation_report(requested_by=manager))

    response = signed_in(viewer).get(reverse("dashboard"))

    assert response.status_code == 200
    assert "FTE short" not in page_text(response.content)
    assert response.context.get("headline_gaps", []) == []


def test_staff_cannot_reach_team_or_organisation_reports_at_all(
    viewer_api: APIClient, manager: User, imaging: object
) -> None:
    organisation = finish_report(build_organisation_report(requested_by=manager))
    team = finish_report(Report.objects.create(kind="team", team=imaging, requested_by=manager))

    for report in (organisation, team):
        for suffix in ("", "export.csv", "export.xlsx"):
            assert viewer_api.get(f"{REPORTS}{report.pk}/{suffix}").status_code == 404
    assert viewer_api.get(REPORTS).json()["results"] == []


def test_a_former_lead_no_longer_sees_the_team_report_they_requested(
    lead_api: APIClient, lead: User, imaging: object
) -> None:
    team = finish_report(Report.objects.create(kind="team", team=imaging, requested_by=lead))
    assert lead_api.get(f"{REPORTS}{team.pk}/").status_code == 200

    lead.groups.clear()

    assert lead_api.get(f"{REPORTS}{team.pk}/").status_code == 404
    assert lead_api.get(REPORTS).json()["results"] == []
