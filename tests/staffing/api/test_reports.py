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
    build_training_project,
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


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def test_the_csv_export_is_the_main_table_alone(lead_api: APIClient, team_report: Report) -> None:
    response = lead_api.get(f"{REPORTS}{team_report.pk}/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="team-report-imaging-{team_report.pk}-skills.csv"'
    assert response.content.startswith(b"Skill,Mean shortfall,Meeting their level,Bus factor,Flagged\r\n")
    rows = csv_rows(response)
    assert rows[:2] == [
        ["Skill", "Mean shortfall", "Meeting their level", "Bus factor", "Flagged"],
        ["Statistics", "2.5000", "0", "1", "yes"],
    ]
    assert len(rows) == 1 + 12  # the headings and a row per skill: no title line, no other table
    assert lead_api.get(f"{REPORTS}{team_report.pk}/export.csv?table=skills").content == response.content


def test_each_table_downloads_as_a_csv_file_of_its_own(lead_api: APIClient, team_report: Report) -> None:
    members = lead_api.get(f"{REPORTS}{team_report.pk}/export.csv?table=members")
    advice = lead_api.get(f"{REPORTS}{team_report.pk}/export.csv?table=recommendations")

    assert members["Content-Disposition"] == f'attachment; filename="team-report-imaging-{team_report.pk}-members.csv"'
    rows = csv_rows(members)
    lena, vic = (str(member["person"]) for member in team_report.result["members"])
    assert rows[:3] == [
        ["Person id", "Person", "Skill", "Rating", "Expected level", "Shortfall (levels)"],
        [lena, "Lena Lead", "Statistics", "0", "4", "4"],
        [lena, "Lena Lead", "ML modelling", "0", "4", "4"],
    ]
    assert [vic, "Vic Viewer", "Statistics", "3", "4", "1"] in rows
    assert len(rows) == 1 + 2 * 12
    assert csv_rows(advice)[:3] == [
        ["Recommendation"],
        [
            "No member is rated 3 or more in ML modelling, Research, Experimentation, Databases, Data pipelines, "
            "Deployment, ML Ops, Data visualisation, Business insights, Reporting and Storytelling."
        ],
        ["Only one member is rated 3 or more in Statistics."],
    ]


@pytest.mark.parametrize("table", ["gaps", "training", "nonsense", ""])
def test_a_table_the_report_does_not_have_is_bad_input(lead_api: APIClient, team_report: Report, table: str) -> None:
    response = lead_api.get(f"{REPORTS}{team_report.pk}/export.csv?table={table}")

    assert (response.status_code, response.json()) == (
        400,
        {"table": ["A team report has the tables skills, members and recommendations."]},
    )


def test_the_refusal_names_an_organisation_report_with_its_article(manager_api: APIClient, manager: User) -> None:
    finished = finish_report(build_organisation_report(requested_by=manager))

    response = manager_api.get(f"{REPORTS}{finished.pk}/export.csv?table=members")

    assert (response.status_code, response.json()) == (
        400,
        {"table": ["An organisation report has the tables gaps, weekly and recommendations."]},
    )


@pytest.mark.parametrize(
    ("kind", "tables"),
    [
        ("project", ["coverage", "unfilled", "training", "recommendations"]),
        ("organisation", ["gaps", "weekly", "recommendations"]),
    ],
)
def test_every_table_of_every_kind_downloads(
    manager_api: APIClient, manager: User, kind: str, tables: list[str]
) -> None:
    project = build_staffed_project()
    fields = {"project": project} if kind == "project" else {"starts_on": D(2027, 1, 4), "ends_on": D(2027, 3, 28)}
    finished = finish_report(report(kind=kind, requested_by=manager, **fields))
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{finished.pk}/export.xlsx").content))

    for table, sheet in zip(tables, workbook.worksheets, strict=True):
        rows = csv_rows(manager_api.get(f"{REPORTS}{finished.pk}/export.csv?table={table}"))
        assert rows[0] == [cell.value for cell in sheet[1]]  # the same headings as the sheet of that table
        assert len(rows) == sheet.max_row


def test_the_xlsx_export_has_a_sheet_per_table_with_typed_cells(lead_api: APIClient, team_report: Report) -> None:
    response = lead_api.get(f"{REPORTS}{team_report.pk}/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="team-report-imaging-{team_report.pk}.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Skills", "Members", "Recommendations"]
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


def test_the_recommendations_sheet_holds_the_pages_sentences_in_order(
    manager_api: APIClient, manager: User, signed_in: Callable[[User], Any]
) -> None:
    finished = finish_report(report(kind="project", project=build_training_project(), requested_by=manager))
    sentences = signed_in(manager).get(f"/reports/{finished.pk}/").context["sentences"]

    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{finished.pk}/export.xlsx").content))

    assert workbook.sheetnames == ["Phase coverage", "Unfilled slots", "Training suggestions", "Recommendations"]
    sheet = workbook["Recommendations"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Recommendation", *sentences]
    assert sentences == [
        "Train Yan Young in Research from 3 to 4: closes 2 levels of their gaps on the slots they work on "
        "or are a top-three candidate for.",
        "Train Amy Archer in Statistics from 3 to 4: closes 1 level of their gaps on the slots they work on "
        "or are a top-three candidate for.",
        "Train Zed Zimmer in Statistics from 3 to 4: closes 1 level of their gaps on the slots they work on "
        "or are a top-three candidate for.",
    ]
    assert sheet["A2"].alignment.wrap_text
    assert sheet.column_dimensions["A"].width > 48  # sentences get a wide column


def test_the_training_table_runs_from_the_largest_gain_then_by_name_in_both_files(
    manager_api: APIClient, manager: User
) -> None:
    finished = finish_report(report(kind="project", project=build_training_project(), requested_by=manager))
    stored = [row["person"] for row in manager_api.get(f"{REPORTS}{finished.pk}/").json()["result"]["training"]]

    rows = csv_rows(manager_api.get(f"{REPORTS}{finished.pk}/export.csv?table=training"))
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{finished.pk}/export.xlsx").content))

    expected = [
        ["Yan Young", "Research", "3", "4", "2.00"],
        ["Amy Archer", "Statistics", "3", "4", "1.00"],
        ["Zed Zimmer", "Statistics", "3", "4", "1.00"],
    ]
    assert rows[0] == ["Person id", "Person", "Skill", "From level", "To level", "Gap closed (levels)"]
    assert [row[1:] for row in rows[1:]] == expected
    sheet = workbook["Training suggestions"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Yan Young", "Amy Archer", "Zed Zimmer"]
    assert stored == sorted(stored)  # the stored result keeps its own order (by person id): Zed, Amy, Yan


def test_an_organisation_export_writes_weeks_as_dates(manager_api: APIClient, manager: User) -> None:
    build_staffed_project()
    finished = finish_report(build_organisation_report(requested_by=manager))

    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{finished.pk}/export.xlsx").content))

    assert workbook.sheetnames == ["Skill gaps", "Weekly unfilled demand", "Recommendations"]
    gaps = workbook["Skill gaps"]
    assert [cell.value for cell in gaps[5]] == ["Statistics", 4, 0.5, 0, 0.5, "Data scientist"]
    weekly = workbook["Weekly unfilled demand"]
    assert [cell.value for cell in weekly[2]][1:] == ["Problem understanding", 0.17]
    assert weekly["A2"].value.date() == D(2027, 1, 4)
    assert weekly["A2"].number_format == "yyyy-mm-dd"
    assert [row[0] for row in workbook["Recommendations"].iter_rows(values_only=True)] == [
        "Recommendation",
        "Hire or train for Statistics at level 4: demand 0.50 FTE, supply 0.00 FTE; consider a data scientist.",
    ]


def test_professions_are_named_only_where_people_are_short_yet_stay_in_the_result(
    manager_api: APIClient, manager: User
) -> None:
    build_staffed_project()  # statistics wanted at 4 for half an FTE; Ann's free half at 3
    finished = finish_report(build_organisation_report(requested_by=manager))
    stored = manager_api.get(f"{REPORTS}{finished.pk}/").json()["result"]["gaps"]

    rows = csv_rows(manager_api.get(f"{REPORTS}{finished.pk}/export.csv?table=gaps"))
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{finished.pk}/export.xlsx").content))

    everyone = ["data-scientist", "data-analyst", "data-engineer", "ml-engineer"]
    # The contract: every row names the professions whose spectrum asks for the skill at that level or above.
    assert [(row["level"], row["gap"], row["professions"]) for row in stored[:2]] == [
        (1, 0.0, everyone),
        (2, 0.0, everyone),
    ]
    assert rows[1:6] == [
        ["Statistics", "1", "0.50", "0.50", "0.00", ""],
        ["Statistics", "2", "0.50", "0.50", "0.00", ""],
        ["Statistics", "3", "0.50", "0.50", "0.00", ""],
        ["Statistics", "4", "0.50", "0.00", "0.50", "Data scientist"],
        ["Statistics", "5", "0.00", "0.00", "0.00", ""],
    ]
    assert [row[:2] for row in rows[1:] if row[5]] == [["Statistics", "4"]]  # the one row short of people
    sheet = list(workbook["Skill gaps"].iter_rows(min_row=2, values_only=True))
    assert {row[5] for row in sheet if row[4] <= 0} == {None}
    assert [row[5] for row in sheet if row[4] > 0] == ["Data scientist"]


def test_an_unfinished_report_cannot_be_exported(manager_api: APIClient, manager: User) -> None:
    queued = build_organisation_report(requested_by=manager)

    for suffix in ("csv", "csv?table=nonsense", "xlsx"):
        response = manager_api.get(f"{REPORTS}{queued.pk}/export.{suffix}", HTTP_ACCEPT="text/csv")

        assert (response.status_code, response.json()) == (
            409,
            {"detail": "The report is queued; it can be downloaded once it is done."},
        )


def test_an_export_of_a_report_one_may_not_see_is_not_found(viewer_api: APIClient, team_report: Report) -> None:
    response = viewer_api.get(f"{REPORTS}{team_report.pk}/export.csv")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_the_schema_states_the_table_parameter_and_the_media_types(viewer_api: APIClient) -> None:
    paths = viewer_api.get(API + "schema/").json()["paths"]
    csv_export, xlsx_export = (
        paths["/api/v1/reports/{id}/export.csv"]["get"],
        paths["/api/v1/reports/{id}/export.xlsx"]["get"],
    )

    (table,) = [parameter for parameter in csv_export["parameters"] if parameter["in"] == "query"]
    assert (table["name"], table.get("required", False), table["schema"]) == (
        "table",
        False,
        {
            "type": "string",
            "enum": ["coverage", "gaps", "members", "recommendations", "skills", "training", "unfilled", "weekly"],
        },
    )
    assert "without it, the report's main table" in table["description"]
    assert "team: skills, members, recommendations" in table["description"]
    assert list(csv_export["responses"]["200"]["content"]) == ["text/csv"]
    assert set(csv_export["responses"]) >= {"200", "400", "404", "409"}
    assert list(xlsx_export["responses"]["200"]["content"]) == [XLSX]
    assert [parameter["in"] for parameter in xlsx_export["parameters"]] == ["path"]


def test_staff_files_withhold_the_covered_levels_in_every_table_and_sentence(
    viewer_api: APIClient, viewer: User
) -> None:
    finished = finish_report(report(kind="project", project=build_staffed_project(), requested_by=viewer))

    files = {
        table: csv_rows(viewer_api.get(f"{REPORTS}{finished.pk}/export.csv?table={table}"))
        for table in ("coverage", "unfilled", "training", "recommendations")
    }
    workbook = openpyxl.load_workbook(io.BytesIO(viewer_api.get(f"{REPORTS}{finished.pk}/export.xlsx").content))

    assert {(row[3], row[4]) for row in files["coverage"][1:]} == {("", "")}
    assert files["training"] == [["Person id", "Person", "Skill", "From level", "To level", "Gap closed (levels)"]]
    assert files["recommendations"][1:] == [
        [
            "The levels the people confirmed on the project reach come from their ratings, so they are shown to "
            "managers and team leads only."
        ],
        ["Staff the Imaging scientist slot (4 Jan 2027 to 31 Mar 2027): 0.50 FTE is still unfilled."],
    ]
    assert [row[0] for row in workbook["Recommendations"].iter_rows(min_row=2, values_only=True)] == [
        row[0] for row in files["recommendations"][1:]
    ]
    every_cell = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert not any("Ann Analyst" in cell or "reach only" in cell for cell in every_cell if isinstance(cell, str))
    assert {(row[3], row[4]) for row in workbook["Phase coverage"].iter_rows(min_row=2, values_only=True)} == {
        (None, None)
    }
