"""The reports' pages: the list, the request form, a report's progress and results, its downloads,
and the organisation report's headline on the dashboard."""

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Team
from staffing.models import Report
from staffing.report_charts import gap_band
from staffing.services import ReportQueueUnavailable
from tests.builders import page_text
from tests.factories import (
    PersonFactory,
    SkillRatingFactory,
    TeamFactory,
    build_organisation_report,
    build_staffed_project,
    build_training_project,
    finish_report,
    skill,
)

pytestmark = pytest.mark.django_db

D = dt.date


def team_report(team: Team, **fields: Any) -> Report:
    return Report.objects.create(kind="team", team=team, **fields)


def titles(response: Any) -> list[str]:
    return [str(report) for report in response.context["page"].object_list]


# --- Access ----------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_report_page(client: Client, manager: User) -> None:
    report = build_organisation_report(requested_by=manager)
    urls = [
        reverse("report_list"),
        reverse("report_request"),
        reverse("report_detail", args=[report.pk]),
        reverse("report_progress", args=[report.pk]),
        reverse("report_export_csv", args=[report.pk]),
        reverse("report_export_xlsx", args=[report.pk]),
    ]

    for url in urls:
        response = client.get(url)

        assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}"), url


@pytest.mark.parametrize("persona", ["manager", "lead", "viewer"])
def test_every_report_page_has_one_h1_and_a_title(
    persona: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client]
) -> None:
    user = request.getfixturevalue(persona)
    report = finish_report(Report.objects.create(kind="project", project=build_staffed_project(), requested_by=user))
    client = signed_in(user)

    for url in [reverse("report_list"), reverse("report_request"), reverse("report_detail", args=[report.pk])]:
        html = client.get(url).content.decode()

        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        assert re.search(r"<title>[^<]+ · Spectrum</title>", html), url
        assert '<a href="/reports/" aria-current="page">Reports</a>' in html, url


def test_a_report_one_may_not_see_is_not_found(
    signed_in: Callable[[User], Client], manager: User, viewer: User
) -> None:
    report = finish_report(build_organisation_report(requested_by=manager))
    client = signed_in(viewer)

    for name in ["report_detail", "report_progress", "report_export_csv"]:
        assert client.get(reverse(name, args=[report.pk])).status_code == 404, name


# --- The list --------------------------------------------------------------------------------------


def test_each_persona_lists_the_reports_they_may_see_newest_first(
    signed_in: Callable[[User], Client], manager: User, lead: User, viewer: User, imaging: Team
) -> None:
    pathology = TeamFactory(name="Pathology")
    project = build_staffed_project()
    Report.objects.create(kind="project", project=project, requested_by=viewer)
    team_report(pathology, requested_by=manager)
    team_report(imaging, requested_by=manager)
    build_organisation_report()

    seen = {user.username: titles(signed_in(user).get(reverse("report_list"))) for user in [manager, lead, viewer]}

    newest = list(Report.objects.order_by("-created_at", "-id"))
    assert seen == {
        "manager": [str(report) for report in newest],
        "lead": [str(newest[0]), str(newest[1])],
        "viewer": [str(newest[3])],
    }


def test_the_list_shows_each_reports_subject_requester_and_status(
    signed_in: Callable[[User], Client], manager: User, imaging: Team
) -> None:
    failed = team_report(imaging, requested_by=manager, status=Report.Status.FAILED, error="No data.")
    running = build_organisation_report(requested_by=manager, status=Report.Status.RUNNING, progress=40)
    finished = finish_report(Report.objects.create(kind="project", project=build_staffed_project()))

    response = signed_in(manager).get(reverse("report_list"))
    text = page_text(response.content)

    assert titles(response) == [str(finished), str(running), str(failed)]
    assert "Project report: Chest x-ray screening" in text
    assert "Nightly schedule Done" in text
    assert "Organisation report: 4 Jan 2027 to 28 Mar 2027" in text
    assert "manager Running · 40% –" in text
    assert "Team report: Imaging" in text
    assert "manager Failed" in text
    assert f'<a href="/reports/{finished.pk}/">' in response.content.decode()


def test_the_list_says_so_when_there_are_no_reports(signed_in: Callable[[User], Client], viewer: User) -> None:
    text = page_text(signed_in(viewer).get(reverse("report_list")).content)

    assert "There are no reports yet." in text
    assert "Request your first report" in text


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_the_same_queries_whatever_the_number_of_reports(
    count: int, signed_in: Callable[[User], Client], lead: User, imaging: Team, django_assert_num_queries: Callable
) -> None:
    for _ in range(count):
        team_report(imaging, requested_by=lead)
        finish_report(build_organisation_report())
    client = signed_in(lead)

    # session, user, the user's groups, the count, the page of reports with subject and requester
    with django_assert_num_queries(5):
        response = client.get(reverse("report_list"))

    assert len(titles(response)) == 2 * count


# --- The request form ------------------------------------------------------------------------------


def test_the_form_offers_only_what_each_persona_may_request(
    signed_in: Callable[[User], Client], manager: User, lead: User, viewer: User, imaging: Team
) -> None:
    TeamFactory(name="Pathology")

    offered = {}
    for user in [manager, lead, viewer]:
        form = signed_in(user).get(reverse("report_request")).context["form"]
        offered[user.username] = (form.kinds, [team.name for team in form.fields["team"].queryset])

    assert offered == {
        "manager": (["project", "team", "organisation"], ["Imaging", "Pathology"]),
        "lead": (["project", "team", "organisation"], ["Imaging"]),
        "viewer": (["project"], []),
    }


def test_the_form_labels_every_input_and_proposes_the_next_thirteen_weeks(
    signed_in: Callable[[User], Client], lead: User, imaging: Team
) -> None:
    response = signed_in(lead).get(reverse("report_request"))
    html = response.content.decode()
    today = timezone.localdate()

    assert f'name="starts_on" value="{today.isoformat()}"' in html
    assert f'name="ends_on" value="{(today + dt.timedelta(days=90)).isoformat()}"' in html
    assert f'<option value="{imaging.pk}" selected>Imaging</option>' in html  # the one team they lead
    for field in ["id_kind_0", "id_kind_1", "id_kind_2", "id_project", "id_team", "id_starts_on", "id_ends_on"]:
        assert f'<label for="{field}">' in html, field
    assert 'aria-describedby="id_kind_1_help"' in html
    assert "<legend>Kind of report</legend>" in html


def test_the_form_starts_from_the_query_string(signed_in: Callable[[User], Client], manager: User) -> None:
    form = signed_in(manager).get(reverse("report_request") + "?kind=organisation&starts_on=2027-01-04").context["form"]

    assert (form["kind"].value(), form["starts_on"].value()) == ("organisation", "2027-01-04")


def test_a_valid_request_starts_the_report_and_opens_its_page(
    signed_in: Callable[[User], Client], lead: User, imaging: Team, django_capture_on_commit_callbacks: Callable
) -> None:
    client = signed_in(lead)

    with django_capture_on_commit_callbacks(execute=True):  # jobs run in-process in tests: done at once
        response = client.post(reverse("report_request"), {"kind": "team", "team": imaging.pk})

    report = Report.objects.get()
    assert (response.status_code, response.url) == (302, reverse("report_detail", args=[report.pk]))
    assert (report.kind, report.team, report.requested_by, report.status) == ("team", imaging, lead, "done")
    page = client.get(response.url)
    assert 'role="progressbar"' not in page.content.decode()
    assert "Ratings against expected levels" in page_text(page.content)


def test_a_request_that_is_still_queued_opens_on_its_progress(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    client = signed_in(manager)

    response = client.post(
        reverse("report_request"), {"kind": "organisation", "starts_on": "2027-01-04", "ends_on": "2027-03-28"}
    )

    report = Report.objects.get()
    assert (report.status, report.starts_on, report.ends_on) == ("queued", D(2027, 1, 4), D(2027, 3, 28))
    assert 'role="progressbar"' in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "team"}, "team", "A team report needs a team."),
        ({"kind": "project"}, "project", "A project report needs a project."),
        (
            {"kind": "organisation", "starts_on": "2027-02-01", "ends_on": "2027-01-31"},
            "ends_on",
            "The range cannot end before it starts.",
        ),
        ({"kind": "organisation", "starts_on": "someday", "ends_on": "2027-01-31"}, "starts_on", "Enter a valid date."),
        ({"kind": "company"}, "kind", "Select a valid choice. company is not one of the available choices."),
    ],
)
@pytest.mark.usefixtures("imaging")
def test_an_invalid_request_shows_its_errors_beside_the_inputs_and_saves_nothing(
    signed_in: Callable[[User], Client], manager: User, data: dict[str, str], field: str, message: str
) -> None:
    response = signed_in(manager).post(reverse("report_request"), data)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert f'id="id_{field}_error"' in html
    assert "The report was not started" in page_text(html)
    assert "<title>Error: Request a report · Spectrum</title>" in html
    assert not Report.objects.exists()


def test_a_lead_cannot_ask_for_another_teams_report(signed_in: Callable[[User], Client], lead: User) -> None:
    pathology = TeamFactory(name="Pathology")

    response = signed_in(lead).post(reverse("report_request"), {"kind": "team", "team": pathology.pk})

    assert response.context["form"].errors == {
        "team": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert not Report.objects.exists()


def test_staff_cannot_ask_for_the_organisation_report(signed_in: Callable[[User], Client], viewer: User) -> None:
    response = signed_in(viewer).post(
        reverse("report_request"), {"kind": "organisation", "starts_on": "2027-01-04", "ends_on": "2027-03-28"}
    )

    assert response.context["form"].errors == {
        "kind": ["Select a valid choice. organisation is not one of the available choices."]
    }
    assert not Report.objects.exists()


def test_with_redis_stopped_the_form_says_so_and_saves_nothing(
    signed_in: Callable[[User], Client], manager: User, closed_broker: None
) -> None:
    response = signed_in(manager).post(
        reverse("report_request"), {"kind": "organisation", "starts_on": "2027-01-04", "ends_on": "2027-03-28"}
    )

    assert response.status_code == 503
    assert ReportQueueUnavailable.message in page_text(response.content)
    assert response.context["form"]["starts_on"].value() == "2027-01-04"  # what was typed stays
    assert not Report.objects.exists()


def test_a_request_without_the_forms_token_is_refused(manager: User, imaging: Team) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    response = client.post(reverse("report_request"), {"kind": "team", "team": imaging.pk})

    assert response.status_code == 403
    assert not Report.objects.exists()


# --- Progress --------------------------------------------------------------------------------------


def test_a_queued_report_shows_a_progress_bar_that_polls_itself(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    report = build_organisation_report(requested_by=manager)

    html = signed_in(manager).get(reverse("report_detail", args=[report.pk])).content.decode()

    progress = reverse("report_progress", args=[report.pk])
    assert f'hx-get="{progress}?seen=queued" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="0"' in html
    assert 'id="report-announcer" class="visually-hidden" role="status" aria-live="polite"' in html
    assert "Waiting to start" in page_text(html)
    assert f'<a href="/reports/{report.pk}/">Check again</a>' in html  # without JavaScript


def test_a_running_report_shows_how_far_it_got(signed_in: Callable[[User], Client], manager: User) -> None:
    report = build_organisation_report(
        requested_by=manager, status=Report.Status.RUNNING, progress=40, started_at=timezone.now()
    )

    html = signed_in(manager).get(reverse("report_progress", args=[report.pk]) + "?seen=running").content.decode()

    assert html.lstrip().startswith('<section id="report-body"')
    assert 'aria-valuenow="40" aria-valuetext="40% done"' in html
    assert 'width="40%"' in html
    assert "every 1s" in html
    assert "hx-swap-oob" not in html  # nothing new to announce


def test_the_progress_turns_into_the_result_stops_polling_and_announces_it(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    report = finish_report(build_organisation_report(requested_by=manager))

    html = signed_in(manager).get(reverse("report_progress", args=[report.pk]) + "?seen=running").content.decode()

    assert "hx-trigger" not in html
    assert 'role="progressbar"' not in html
    assert "Skill gaps by level" in page_text(html)
    assert '<div id="report-announcer" hx-swap-oob="innerHTML">The report is ready; its results follow.</div>' in html


def test_a_page_polling_after_its_session_ended_reloads_to_sign_in(client: Client, manager: User) -> None:
    report = build_organisation_report(requested_by=manager)

    response = client.get(reverse("report_progress", args=[report.pk]) + "?seen=queued", HTTP_HX_REQUEST="true")

    assert (response.status_code, response["HX-Refresh"], response.content) == (204, "true", b"")


# --- Results ---------------------------------------------------------------------------------------


def test_a_project_report_shows_its_heatmap_tables_and_suggestions(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    project = build_staffed_project()
    report = finish_report(Report.objects.create(kind="project", project=project, requested_by=manager))

    response = signed_in(manager).get(reverse("report_detail", args=[report.pk]))
    html, text = response.content.decode(), page_text(response.content)

    assert "<h1>Project report: Chest x-ray screening</h1>" in html
    assert response.context["sentences"] == [
        "In problem understanding, Statistics is needed at level 4 but the people confirmed reach only 3: "
        "a gap of 1 level.",
        "In data understanding, Statistics is needed at level 4 but the people confirmed reach only 3: "
        "a gap of 1 level.",
        "In implementation, Statistics is needed at level 4 but the people confirmed reach only 3: a gap of 1 level.",
        "Staff the Imaging scientist slot (4 Jan 2027 to 31 Mar 2027): 0.50 FTE is still unfilled.",
        "Train Ann Analyst in Statistics from 3 to 4: closes 1 level of their gaps on the slots they work on "
        "or are a top-three candidate for.",
    ]
    assert "<title>Problem understanding, Statistics: required 4, covered 3, gap 1.</title>" in html
    assert "<title>Implementation, ML modelling: not required (covered 0).</title>" in html
    assert 'role="img" aria-labelledby="heatmap-project-title heatmap-project-desc"' in html
    assert "Problem understanding Statistics 4 3 1" in text  # the coverage table
    assert "Imaging scientist 4 Jan 2027 31 Mar 2027 0.50" in text
    assert "Ann Analyst Statistics 3 4 1.00" in text
    assert "Gap closed: one level on each slot the person works on" in text  # the training table says so
    assert "weighted" not in text
    assert [key for key, _ in response.context["csv_downloads"]] == [
        "coverage",
        "unfilled",
        "training",
        "recommendations",
    ]
    for key in ("coverage", "unfilled", "training", "recommendations"):
        assert f'href="/reports/{report.pk}/export.csv?table={key}"' in html
    assert "Training suggestions as a CSV" in text
    assert f'href="/reports/{report.pk}/export.xlsx"' in html


def test_training_runs_from_the_largest_gain_then_by_name_in_the_sentences_and_the_table(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    report = finish_report(
        Report.objects.create(kind="project", project=build_training_project(), requested_by=manager)
    )

    response = signed_in(manager).get(reverse("report_detail", args=[report.pk]))

    order = ["Yan Young", "Amy Archer", "Zed Zimmer"]  # gains 2, 1, 1; the stored result holds Zed, Amy, Yan
    assert [sentence.split(" in ")[0].removeprefix("Train ") for sentence in response.context["sentences"]] == order
    (table, rows) = next(pair for pair in response.context["other_tables"] if pair[0].key == "training")
    assert [[cell.text for cell in row] for row in rows] == [
        ["Yan Young", "Research", "3", "4", "2.00"],
        ["Amy Archer", "Statistics", "3", "4", "1.00"],
        ["Zed Zimmer", "Statistics", "3", "4", "1.00"],
    ]
    assert [column.heading for column in table.page_columns][-1] == "Gap closed (levels)"


def test_staff_see_no_training_suggestions_about_others(signed_in: Callable[[User], Client], viewer: User) -> None:
    report = finish_report(Report.objects.create(kind="project", project=build_staffed_project(), requested_by=viewer))

    text = page_text(signed_in(viewer).get(reverse("report_detail", args=[report.pk])).content)

    assert "Ann Analyst" not in text
    assert "No single level more would reduce anyone's shortfall." in text


def test_a_team_report_shows_ratings_against_expected_levels_and_thin_skills(
    signed_in: Callable[[User], Client], lead: User, viewer: User, imaging: Team
) -> None:
    SkillRatingFactory(person=viewer.person, skill=skill("statistics"), level=3)
    SkillRatingFactory(person=viewer.person, skill=skill("ml-modelling"), level=1)
    report = finish_report(team_report(imaging, requested_by=lead))

    response = signed_in(lead).get(reverse("report_detail", args=[report.pk]))
    html, text = response.content.decode(), page_text(response.content)

    sentences = response.context["sentences"]
    assert sentences[:2] == [
        "No member is rated 3 or more in ML modelling, Research, Experimentation, Databases, Data pipelines, "
        "Deployment, ML Ops, Data visualisation, Business insights, Reporting and Storytelling.",
        "Only one member is rated 3 or more in Statistics.",
    ]
    assert sentences[-2:] == [
        "Train Lena Lead in Statistics from 0 to 4, the level their profession expects.",
        "Train Vic Viewer in Research from 0 to 4, the level their profession expects.",
    ]
    assert "<title>Vic Viewer, Statistics: rated 3, expected 4 (1 level short).</title>" in html
    assert 'transform="rotate(-40' in html  # skill names slant over narrow columns
    assert "Vic Viewer 3 / 4 1 / 4" in text  # the heatmap's table: rating / expected
    assert "Statistics 2.50 0 1 Yes" in text  # the skills table: two places on a page, four in the files


def test_an_organisation_report_names_what_to_hire_or_train(signed_in: Callable[[User], Client], manager: User) -> None:
    build_staffed_project()
    report = finish_report(build_organisation_report(requested_by=manager))

    response = signed_in(manager).get(reverse("report_detail", args=[report.pk]))
    html = response.content.decode()

    assert response.context["sentences"] == [
        "Hire or train for Statistics at level 4: demand 0.50 FTE, supply 0.00 FTE; consider a data scientist."
    ]
    assert "<title>Statistics at level 4: demand 0.50 FTE, supply 0.00 FTE, gap 0.50 FTE.</title>" in html
    assert "<title>Statistics at level 3: demand 0.50 FTE, supply 0.50 FTE, gap 0.00 FTE.</title>" in html
    assert "Short: under 1 FTE" in html  # the legend
    assert "Week starting" in html  # the weekly demand


def test_the_gaps_table_names_professions_only_where_people_are_short(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    build_staffed_project()  # statistics wanted at 4 for half an FTE; Ann's free half at 3
    report = finish_report(build_organisation_report(requested_by=manager))

    response = signed_in(manager).get(reverse("report_detail", args=[report.pk]))

    rows = [[cell.text for cell in row] for row in response.context["main_rows"]]
    assert rows[:5] == [
        ["Statistics", "1", "0.50", "0.50", "0.00", "–"],
        ["Statistics", "2", "0.50", "0.50", "0.00", "–"],
        ["Statistics", "3", "0.50", "0.50", "0.00", "–"],
        ["Statistics", "4", "0.50", "0.00", "0.50", "Data scientist"],
        ["Statistics", "5", "0.00", "0.00", "0.00", "–"],
    ]
    assert {row[5] for row in rows if not row[4].startswith(("0.0", "−"))} == {"Data scientist"}
    assert {row[5] for row in rows[5:]} == {"–"}
    assert "Professions to consider, on the rows short of people" in page_text(response.content)


def test_the_tables_sort_on_the_server_by_any_column(signed_in: Callable[[User], Client], manager: User) -> None:
    build_staffed_project()
    report = finish_report(build_organisation_report(requested_by=manager))
    client = signed_in(manager)

    response = client.get(reverse("report_detail", args=[report.pk]) + "?sort=-gap")
    html = response.content.decode()

    gaps = [row[4].text for row in response.context["main_rows"]]
    assert (gaps[0], set(gaps[1:])) == ("0.50", {"0.00"})
    assert '<th scope="col" class="num" aria-sort="descending">' in html
    assert 'href="?sort=gap#table-gaps"' in html  # sorted descending now: ascending next
    assert 'href="?sort=skill#table-gaps"' in html
    assert html.count("aria-sort=") == 1

    by_skill = client.get(reverse("report_detail", args=[report.pk]) + "?sort=-skill").context["main_rows"]
    assert by_skill[0][0].text == "Storytelling"

    unknown = client.get(reverse("report_detail", args=[report.pk]) + "?sort=nonsense").context["main_rows"]
    assert [row[0].text for row in unknown[:2]] == ["Statistics", "Statistics"]


def test_a_failed_report_shows_its_error(signed_in: Callable[[User], Client], manager: User, imaging: Team) -> None:
    report = team_report(
        imaging,
        requested_by=manager,
        status=Report.Status.FAILED,
        error="The report could not be computed: the ratings could not be read",
        finished_at=timezone.now(),
    )

    html = signed_in(manager).get(reverse("report_detail", args=[report.pk])).content.decode()
    text = page_text(html)

    assert "This report failed at" in text
    assert "The report could not be computed: the ratings could not be read" in text
    assert "Traceback" not in html
    assert 'role="progressbar"' not in html
    assert f'href="/reports/new/?kind=team&amp;team={imaging.pk}"' in html


@pytest.mark.parametrize("members", [1, 3])
def test_a_result_page_runs_the_same_queries_whatever_its_size(
    members: int, signed_in: Callable[[User], Client], lead: User, django_assert_num_queries: Callable
) -> None:
    team = TeamFactory(name="Radiology")
    for index in range(members):
        person = PersonFactory(name=f"Member {index}", team=team)
        SkillRatingFactory(person=person, level=index + 1)
    report = finish_report(team_report(team, requested_by=lead))
    client = signed_in(lead)

    # session, user, the user's groups, the report with its subject and requester, the skills with
    # their groups, the members' names
    with django_assert_num_queries(6):
        response = client.get(reverse("report_detail", args=[report.pk]))

    assert len(response.context["heatmap"].rows) == members


# --- Downloads -------------------------------------------------------------------------------------


def test_a_report_downloads_a_csv_per_table_and_a_workbook(signed_in: Callable[[User], Client], manager: User) -> None:
    report = finish_report(Report.objects.create(kind="project", project=build_staffed_project(), requested_by=manager))
    client = signed_in(manager)

    main = client.get(reverse("report_export_csv", args=[report.pk]))
    training = client.get(reverse("report_export_csv", args=[report.pk]) + "?table=training")
    advice = client.get(reverse("report_export_csv", args=[report.pk]) + "?table=recommendations")
    xlsx_file = client.get(reverse("report_export_xlsx", args=[report.pk]))

    name = f"project-report-chest-x-ray-screening-{report.pk}"
    assert (main["Content-Type"], main["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        f'attachment; filename="{name}-coverage.csv"',
    )
    lines = main.content.decode().splitlines()
    assert lines[:2] == [
        "Phase,Skill,Required level,Covered level,Gap (levels)",
        "Problem understanding,Statistics,4,3,1",
    ]
    assert len(lines) == 1 + 3 * 12
    assert training["Content-Disposition"] == f'attachment; filename="{name}-training.csv"'
    assert training.content.decode().splitlines()[1].endswith(",Ann Analyst,Statistics,3,4,1.00")
    assert advice.content.decode().splitlines()[-1] == (
        "Train Ann Analyst in Statistics from 3 to 4: closes 1 level of their gaps on the slots they work on "
        "or are a top-three candidate for."
    )
    assert xlsx_file["Content-Disposition"] == f'attachment; filename="{name}.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_file.content))
    assert workbook.sheetnames == ["Phase coverage", "Unfilled slots", "Training suggestions", "Recommendations"]
    assert [cell.value for cell in workbook["Training suggestions"][2]][1:] == ["Ann Analyst", "Statistics", 3, 4, 1]
    assert workbook["Recommendations"]["A1"].value == "Recommendation"
    assert workbook["Recommendations"]["A2"].value.startswith("In problem understanding, Statistics is needed")


def test_a_team_report_offers_its_members_table_too(
    signed_in: Callable[[User], Client], lead: User, imaging: Team
) -> None:
    report = finish_report(team_report(imaging, requested_by=lead))

    response = signed_in(lead).get(reverse("report_detail", args=[report.pk]))

    assert response.context["csv_downloads"] == [
        ("skills", "Skills"),
        ("members", "Members"),
        ("recommendations", "Recommendations"),
    ]
    assert f'href="/reports/{report.pk}/export.csv?table=members"' in response.content.decode()


def test_a_table_the_report_does_not_have_sends_back_to_the_report_saying_so(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    report = finish_report(build_organisation_report(requested_by=manager))

    response = signed_in(manager).get(reverse("report_export_csv", args=[report.pk]) + "?table=training", follow=True)

    assert response.redirect_chain == [(reverse("report_detail", args=[report.pk]), 302)]
    assert "This report has no such table; its page offers a download for each of its tables." in page_text(
        response.content
    )


def test_an_unfinished_report_has_nothing_to_download_yet(signed_in: Callable[[User], Client], manager: User) -> None:
    report = build_organisation_report(requested_by=manager)

    response = signed_in(manager).get(reverse("report_export_xlsx", args=[report.pk]), follow=True)

    assert response.redirect_chain == [(reverse("report_detail", args=[report.pk]), 302)]
    assert "This report is not finished, so there is nothing to download yet." in page_text(response.content)


# --- The dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_shows_the_latest_organisation_reports_largest_gaps(
    signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    build_staffed_project()
    finish_report(build_organisation_report())
    latest = finish_report(build_organisation_report())
    client = signed_in(manager)

    # session, user, the user's person, the user's groups, the latest organisation report, the names
    # of its skills with the largest gaps, projects ranked per phase
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard"))
    text = page_text(response.content)

    assert "Organisation skill gaps From the organisation report for 4 Jan 2027 to 28 Mar 2027" in text
    assert "Statistics at level 4 : 0.50 FTE short (demand 0.50, supply 0.00)" in text
    assert f'<a href="/reports/{latest.pk}/">The whole organisation report</a>' in response.content.decode()


def test_staff_see_no_organisation_gaps_on_the_dashboard(signed_in: Callable[[User], Client], viewer: User) -> None:
    finish_report(build_organisation_report())

    text = page_text(signed_in(viewer).get(reverse("dashboard")).content)

    assert "Organisation skill gaps" not in text


def test_a_lead_is_invited_to_request_the_first_organisation_report(
    signed_in: Callable[[User], Client], lead: User
) -> None:
    html = signed_in(lead).get(reverse("dashboard")).content.decode()

    assert "No organisation report has finished yet." in page_text(html)
    assert '<a href="/reports/new/?kind=organisation">Request the organisation report</a>' in html


def test_a_gap_in_fte_takes_the_band_of_its_size_and_sign() -> None:
    assert [gap_band(gap).label for gap in [-7, -5, -1.5, -1, -0.25, 0, 0.25, 1, 2.99, 3]] == [
        "Spare: 5 FTE or more",
        "Spare: 5 FTE or more",
        "Spare: 1 to 5 FTE",
        "Spare: 1 to 5 FTE",
        "Spare: under 1 FTE",
        "Balanced",
        "Short: under 1 FTE",
        "Short: 1 to 3 FTE",
        "Short: 1 to 3 FTE",
        "Short: 3 FTE or more",
    ]


def test_polling_a_report_the_user_may_not_see_reloads_the_page_and_stops(
    signed_in: Callable[[User], Client], manager: User, viewer: User
) -> None:
    report = build_organisation_report(requested_by=manager)
    client = signed_in(viewer)
    url = reverse("report_progress", args=[report.pk])

    polled = client.get(url, headers={"HX-Request": "true"})
    opened = client.get(url)

    assert (polled.status_code, polled["HX-Refresh"], polled.content) == (204, "true", b"")
    assert opened.status_code == 404
