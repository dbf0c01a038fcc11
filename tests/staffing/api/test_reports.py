"""POST/GET reports/, a report with its result, and its CSV and XLSX exports."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from people.models import Team
from staffing.models import Report
from staffing.reports import compute_organisation_report, compute_project_report, compute_team_report
from staffing.services import ReportQueueUnavailable
from tests.conftest import API
from tests.factories import (
    AssignmentFactory,
    SkillRatingFactory,
    TeamFactory,
    build_organisation_report,
    build_staffed_project,
    finish_report,
)

pytestmark = pytest.mark.django_db

D = dt.date
REPORTS = API + "reports/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report(**fields: Any) -> Report:
    return Report.objects.create(**fields)


# --- Requesting ----------------------------------------------------------------------------------


def test_a_lead_requests_a_report_on_their_team_and_gets_its_id_at_once(
    lead_api: APIClient, lead: User, imaging: Team
) -> None:
    response = lead_api.post(REPORTS, {"kind": "team", "team": imaging.pk}, format="json")

    created = Report.objects.get()
    assert (response.status_code, response.json()) == (202, {"id": created.pk, "status": "queued"})
    assert (created.kind, created.team, created.requested_by) == ("team", imaging, lead)


def test_an_organisation_report_keeps_its_range(manager_api: APIClient) -> None:
    response = manager_api.post(
        REPORTS, {"kind": "organisation", "starts_on": "2027-01-04", "ends_on": "2027-03-28"}, format="json"
    )

    assert response.status_code == 202
    assert Report.objects.values_list("kind", "starts_on", "ends_on").get() == (
        "organisation",
        D(2027, 1, 4),
        D(2027, 3, 28),
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"kind": "company"}, {"kind": ['"company" is not a valid choice.']}),
        ({}, {"kind": ["This field is required."]}),
        ({"kind": "project"}, {"project": ["A project report needs a project."]}),
        ({"kind": "team"}, {"team": ["A team report needs a team."]}),
        (
            {"kind": "organisation", "starts_on": "2027-02-01", "ends_on": "2027-01-31"},
            {"ends_on": ["The range cannot end before it starts."]},
        ),
        (
            {"kind": "organisation"},
            {
                "starts_on": ["An organisation report needs the first day of its range."],
                "ends_on": ["An organisation report needs the last day of its range."],
            },
        ),
        ({"kind": "project", "project": 987654}, {"project": ['Invalid pk "987654" - object does not exist.']}),
        ({"kind": "team", "team": 987654}, {"team": ['Invalid pk "987654" - object does not exist.']}),
        (
            {"kind": "organisation", "starts_on": "4 Jan", "ends_on": "2027-01-31"},
            {"starts_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
    ],
)
def test_bad_requests_are_refused_field_by_field_and_save_nothing(
    manager_api: APIClient, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    response = manager_api.post(REPORTS, body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert not Report.objects.exists()


def test_a_lead_may_not_request_the_report_of_a_team_they_do_not_lead(lead_api: APIClient) -> None:
    pathology = TeamFactory(name="Pathology")

    response = lead_api.post(REPORTS, {"kind": "team", "team": pathology.pk}, format="json")

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You may request team reports only for the teams you lead."},
    )
    assert not Report.objects.exists()


def test_staff_may_request_neither_team_nor_organisation_reports(viewer_api: APIClient, imaging: Team) -> None:
    organisation_answer = viewer_api.post(
        REPORTS, {"kind": "organisation", "starts_on": "2027-01-04", "ends_on": "2027-03-28"}, format="json"
    )
    team_answer = viewer_api.post(REPORTS, {"kind": "team", "team": imaging.pk}, format="json")

    assert (organisation_answer.status_code, organisation_answer.json()) == (
        403,
        {"detail": "Only managers and team leads may request the organisation report."},
    )
    assert (team_answer.status_code, team_answer.json()) == (
        403,
        {"detail": "You may request team reports only for the teams you lead."},
    )
    assert not Report.objects.exists()


def test_staff_may_request_a_project_report(viewer_api: APIClient, viewer: User) -> None:
    project = build_staffed_project()

    response = viewer_api.post(REPORTS, {"kind": "project", "project": project.pk}, format="json")

    assert response.status_code == 202
    assert Report.objects.values_list("project", "requested_by").get() == (project.pk, viewer.pk)


def test_without_credentials_nothing_is_requested(anonymous_api: APIClient) -> None:
    response = anonymous_api.post(REPORTS, {"kind": "project"}, format="json")

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not provided."})


def test_with_redis_stopped_a_request_answers_503_and_saves_nothing(
    manager_api: APIClient, closed_broker: None
) -> None:
    response = manager_api.post(
        REPORTS, {"kind": "organisation", "starts_on": "2027-01-04", "ends_on": "2027-03-28"}, format="json"
    )

    assert (response.status_code, response.json()) == (503, {"detail": ReportQueueUnavailable.message})
    assert response["Content-Type"] == "application/json"
    assert not Report.objects.exists()


def test_a_request_run_in_process_is_done_by_the_time_it_is_read(
    manager_api: APIClient, django_capture_on_commit_callbacks: Callable
) -> None:
    project = build_staffed_project()

    with django_capture_on_commit_callbacks(execute=True):
        created = manager_api.post(REPORTS, {"kind": "project", "project": project.pk}, format="json").json()
    answer = manager_api.get(f"{REPORTS}{created['id']}/").json()

    assert (answer["status"], answer["progress"]) == ("done", 100)
    assert answer["result"] == compute_project_report(project=project)


# --- Reading ---------------------------------------------------------------------------------------


def test_a_project_report_answers_with_the_contract_shape(manager_api: APIClient, manager: User) -> None:
    project = build_staffed_project()
    finished = finish_report(report(kind="project", project=project, requested_by=manager))

    answer = manager_api.get(f"{REPORTS}{finished.pk}/").json()

    contract = ["id", "kind", "status", "progress", "started_at", "finished_at", "error", "result"]
    assert list(answer) == [*contract, "stalled"]  # DESIGN §5's fields, then whether the job went quiet
    assert (answer["id"], answer["kind"], answer["status"], answer["progress"], answer["error"]) == (
        finished.pk,
        "project",
        "done",
        100,
        "",
    )
    assert answer["started_at"] <= answer["finished_at"]
    result = answer["result"]
    assert result == compute_project_report(project=project)
    assert set(result) == {"phases", "unfilled", "training"}
    assert [phase["phase"] for phase in result["phases"]] == [
        "problem-understanding",
        "data-understanding",
        "implementation",
    ]
    assert result["phases"][0]["skills"][0] == {"skill": "statistics", "required": 4, "covered": 3, "gap": 1}
    assert result["unfilled"] == [{"slot": project.slots.get().pk, "unfilled_fte": 0.5}]
    ann = project.slots.get().assignments.get().person
    assert result["training"] == [{"person": ann.pk, "skill": "statistics", "from": 3, "to": 4, "gain": 1.0}]


@pytest.mark.usefixtures("lead")
def test_a_team_report_answers_with_the_contract_shape(manager_api: APIClient, imaging: Team, viewer: User) -> None:
    SkillRatingFactory(person=viewer.person, level=3)
    finished = finish_report(report(kind="team", team=imaging))

    result = manager_api.get(f"{REPORTS}{finished.pk}/").json()["result"]

    assert result == compute_team_report(team=imaging)
    assert set(result) == {"members", "skills"}
    assert [member["person"] for member in result["members"]] == [imaging.lead.pk, viewer.person.pk]
    assert result["members"][1]["skills"]["statistics"] == {"rating": 3, "expected": 4, "shortfall": 1}
    assert result["skills"][0] == {
        "skill": "statistics",
        "mean_shortfall": 2.5,
        "meeting": 0,
        "bus_factor": 1,
        "flagged": True,
    }


def test_an_organisation_report_answers_with_the_contract_shape(manager_api: APIClient) -> None:
    build_staffed_project()
    finished = finish_report(build_organisation_report())

    result = manager_api.get(f"{REPORTS}{finished.pk}/").json()["result"]

    assert result == compute_organisation_report(starts_on=D(2027, 1, 4), ends_on=D(2027, 3, 28))
    assert set(result) == {"starts_on", "ends_on", "gaps", "weekly_demand"}
    assert (result["starts_on"], result["ends_on"]) == ("2027-01-04", "2027-03-28")
    assert len(result["gaps"]) == 12 * 5
    statistics_at_4 = next(row for row in result["gaps"] if (row["skill"], row["level"]) == ("statistics", 4))
    assert statistics_at_4 == {
        "skill": "statistics",
        "level": 4,
        "demand": 0.5,
        "supply": 0.0,
        "gap": 0.5,
        "professions": ["data-scientist"],
    }
    assert result["weekly_demand"][0] == {"week": "2027-01-04", "phase": "problem-understanding", "fte": 0.17}


def test_a_queued_report_has_no_result_yet(manager_api: APIClient, manager: User) -> None:
    queued = build_organisation_report(requested_by=manager)

    answer = manager_api.get(f"{REPORTS}{queued.pk}/").json()

    assert answer == {
        "id": queued.pk,
        "kind": "organisation",
        "status": "queued",
        "progress": 0,
        "started_at": None,
        "finished_at": None,
        "error": "",
        "result": None,
        "stalled": False,
    }


def test_staff_read_only_the_training_suggestions_about_themselves(
    viewer_api: APIClient, viewer: User, manager_api: APIClient
) -> None:
    project = build_staffed_project()
    slot = project.slots.get()
    SkillRatingFactory(person=viewer.person, level=2)
    AssignmentFactory(person=viewer.person, slot=slot, allocation=Decimal("0.50"))
    finished = finish_report(report(kind="project", project=project, requested_by=viewer))

    mine = viewer_api.get(f"{REPORTS}{finished.pk}/").json()["result"]["training"]
    everyone = manager_api.get(f"{REPORTS}{finished.pk}/").json()["result"]["training"]

    assert [row["person"] for row in everyone] == sorted([viewer.person.pk, slot.assignments.first().person.pk])
    assert mine == [{"person": viewer.person.pk, "skill": "statistics", "from": 2, "to": 3, "gain": 1.0}]


@pytest.mark.usefixtures("lead")
def test_who_sees_which_report(
    request: pytest.FixtureRequest, manager: User, viewer: User, outsider: User, imaging: Team
) -> None:
    project = build_staffed_project()
    pathology = Team.objects.get(name="Pathology")
    reports = {
        "imaging by manager": report(kind="team", team=imaging, requested_by=manager),
        "pathology by manager": report(kind="team", team=pathology, requested_by=manager),
        "project by viewer": report(kind="project", project=project, requested_by=viewer),
        "project by outsider": report(kind="project", project=project, requested_by=outsider),
        "nightly organisation": build_organisation_report(),
    }
    clients = {name: request.getfixturevalue(f"{name}_api") for name in ["manager", "lead", "viewer", "outsider"]}

    seen = {
        name: [title for title, row in reports.items() if client.get(f"{REPORTS}{row.pk}/").status_code == 200]
        for name, client in clients.items()
    }
    listed = {
        name: sorted(row["id"] for row in client.get(REPORTS).json()["results"]) for name, client in clients.items()
    }

    assert seen == {
        "manager": list(reports),
        "lead": ["imaging by manager", "nightly organisation"],
        "viewer": ["project by viewer"],
        "outsider": ["project by outsider"],
    }
    assert listed == {name: sorted(reports[title].pk for title in titles) for name, titles in seen.items()}
    hidden = clients["viewer"].get(f"{REPORTS}{reports['pathology by manager'].pk}/")
    assert (hidden.status_code, hidden.json()) == (404, {"detail": "Not found."})


def test_the_list_is_paginated_newest_first_without_results(manager_api: APIClient, manager: User) -> None:
    first = build_organisation_report(requested_by=manager)
    second = finish_report(build_organisation_report(requested_by=manager))

    answer = manager_api.get(REPORTS).json()

    assert (answer["count"], answer["next"], answer["previous"]) == (2, None, None)
    assert [row["id"] for row in answer["results"]] == [second.pk, first.pk]
    assert answer["results"][0] == {
        "id": second.pk,
        "kind": "organisation",
        "project": None,
        "team": None,
        "starts_on": "2027-01-04",
        "ends_on": "2027-03-28",
        "status": "done",
        "progress": 100,
        "created_at": answer["results"][0]["created_at"],
        "started_at": answer["results"][0]["started_at"],
        "finished_at": answer["results"][0]["finished_at"],
        "error": "",
        "stalled": False,
    }


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_the_same_queries_whatever_the_number_of_reports(
    count: int, lead: User, imaging: Team, lead_api: APIClient, django_assert_num_queries: Callable
) -> None:
    for _ in range(count):
        report(kind="team", team=imaging, requested_by=lead)
        finish_report(build_organisation_report())

    # token with its user, the user's groups, the count, the page of reports
    with django_assert_num_queries(4):
        answer = lead_api.get(REPORTS).json()

    assert answer["count"] == 2 * count


# --- Exports ---------------------------------------------------------------------------------------


@pytest.fixture
def team_report(imaging: Team, viewer: User, lead: User) -> Report:
    SkillRatingFactory(person=viewer.person, level=3)
    return finish_report(report(kind="team", team=imaging, requested_by=lead))


def test_the_csv_export_holds_every_table_under_its_title(lead_api: APIClient, team_report: Report) -> None:
    response = lead_api.get(f"{REPORTS}{team_report.pk}/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="team-report-imaging-{team_report.pk}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[:3] == [
        ["Skills"],
        ["Skill", "Mean shortfall", "Meeting their level", "Bus factor", "Flagged"],
        ["Statistics", "2.5000", "0", "1", "yes"],
    ]
    members = rows.index(["Members"])
    assert rows[members - 1] == []  # a blank line between tables
    assert rows[members + 1] == ["Person id", "Person", "Skill", "Rating", "Expected level", "Shortfall (levels)"]
    lena, vic = (str(member["person"]) for member in team_report.result["members"])
    assert rows[members + 2 : members + 4] == [
        [lena, "Lena Lead", "Statistics", "0", "4", "4"],
        [lena, "Lena Lead", "ML modelling", "0", "4", "4"],
    ]
    assert [vic, "Vic Viewer", "Statistics", "3", "4", "1"] in rows
    assert len(rows) == 2 + 12 + 1 + 2 + 2 * 12


def test_the_xlsx_export_has_a_sheet_per_table_with_typed_cells(lead_api: APIClient, team_report: Report) -> None:
    response = lead_api.get(f"{REPORTS}{team_report.pk}/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="team-report-imaging-{team_report.pk}.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Skills", "Members"]
    skills = workbook["Skills"]
    assert [cell.value for cell in skills[1]] == [
        "Skill",
        "Mean shortfall",
        "Meeting their level",
        "Bus factor",
        "Flagged",
    ]
    assert [cell.value for cell in skills[2]] == ["Statistics", 2.5, 0, 1, True]
    assert skills["B2"].number_format == "0.0000"
    assert skills.freeze_panes == "A2"
    assert skills.column_dimensions["A"].width >= len("Data visualisation")
    members = workbook["Members"]
    assert members.max_row == 1 + 2 * 12
    assert isinstance(members["D2"].value, int)


def test_an_organisation_export_writes_weeks_as_dates(manager_api: APIClient, manager: User) -> None:
    build_staffed_project()
    finished = finish_report(build_organisation_report(requested_by=manager))

    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{finished.pk}/export.xlsx").content))

    assert workbook.sheetnames == ["Skill gaps", "Weekly unfilled demand"]
    gaps = workbook["Skill gaps"]
    assert [cell.value for cell in gaps[5]] == ["Statistics", 4, 0.5, 0, 0.5, "Data scientist"]
    weekly = workbook["Weekly unfilled demand"]
    assert [cell.value for cell in weekly[2]][1:] == ["Problem understanding", 0.17]
    assert weekly["A2"].value.date() == D(2027, 1, 4)
    assert weekly["A2"].number_format == "yyyy-mm-dd"


def test_an_unfinished_report_cannot_be_exported(manager_api: APIClient, manager: User) -> None:
    queued = build_organisation_report(requested_by=manager)

    for extension in ("csv", "xlsx"):
        response = manager_api.get(f"{REPORTS}{queued.pk}/export.{extension}", HTTP_ACCEPT="text/csv")

        assert (response.status_code, response.json()) == (
            409,
            {"detail": "The report is queued; it can be downloaded once it is done."},
        )


def test_an_export_of_a_report_one_may_not_see_is_not_found(viewer_api: APIClient, team_report: Report) -> None:
    response = viewer_api.get(f"{REPORTS}{team_report.pk}/export.csv")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
