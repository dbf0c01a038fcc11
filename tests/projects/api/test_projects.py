"""Projects: everyone signed in reads them; managers start them, blank or from a template."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from projects.models import Project, ProjectTemplate, TemplateSlot
from tests.conftest import API
from tests.factories import ProjectFactory, profession

pytestmark = pytest.mark.django_db


def projects_table() -> list[tuple]:
    return list(
        Project.objects.order_by("id").values_list("id", "name", "template_id", "phase", "starts_on", "ends_on")
    )


@pytest.mark.parametrize("persona", ["manager_api", "lead_api", "viewer_api", "integration_api"])
def test_everyone_signed_in_reads_projects(
    request: pytest.FixtureRequest, persona: str, template: ProjectTemplate
) -> None:
    blank = ProjectFactory(name="Triage", starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 9, 30))
    templated = ProjectFactory(
        name="Chest x-rays", template=template, phase="data-understanding", starts_on=dt.date(2027, 1, 4)
    )

    response = request.getfixturevalue(persona).get(API + "projects/")

    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": templated.pk,
                "name": "Chest x-rays",
                "template": "api-test-template",
                "phase": "data-understanding",
                "starts_on": "2027-01-04",
                "ends_on": "2027-06-30",
            },
            {
                "id": blank.pk,
                "name": "Triage",
                "template": None,
                "phase": "problem-understanding",
                "starts_on": "2027-03-01",
                "ends_on": "2027-09-30",
            },
        ],
    }


def test_a_project_is_found_by_id(viewer_api: APIClient) -> None:
    project = ProjectFactory(name="Triage")

    response = viewer_api.get(f"{API}projects/{project.pk}/")

    assert (response.status_code, response.json()) == (
        200,
        {
            "id": project.pk,
            "name": "Triage",
            "template": None,
            "phase": "problem-understanding",
            "starts_on": "2027-01-04",
            "ends_on": "2027-06-30",
        },
    )


def test_an_unknown_project_is_404_json(viewer_api: APIClient) -> None:
    response = viewer_api.get(f"{API}projects/999999/")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


@pytest.mark.parametrize("count", [1, 3])
def test_projects_list_runs_the_same_queries_for_one_or_three(
    viewer_api: APIClient, template: ProjectTemplate, django_assert_num_queries, count: int
) -> None:
    for n in range(count):
        ProjectFactory(name=f"Project {n}", template=template)

    # token and user; count; the page of projects joined to their template
    with django_assert_num_queries(3):
        response = viewer_api.get(API + "projects/")

    assert [project["template"] for project in response.json()["results"]] == ["api-test-template"] * count


def test_a_manager_starts_a_blank_project(manager_api: APIClient, manager: User) -> None:
    response = manager_api.post(
        API + "projects/", {"name": "Triage", "starts_on": "2027-02-01", "ends_on": "2027-02-01"}, format="json"
    )

    project = Project.objects.get()
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": project.pk,
            "name": "Triage",
            "template": None,
            "phase": "problem-understanding",
            "starts_on": "2027-02-01",
            "ends_on": "2027-02-01",
        },
    )
    assert (project.created_by, project.slots.count()) == (manager, 0)


def test_a_manager_starts_a_project_from_a_template(manager_api: APIClient, template: ProjectTemplate) -> None:
    TemplateSlot.objects.create(template=template, profession=profession("data-engineer"), in_implementation=True)

    response = manager_api.post(
        API + "projects/",
        {"name": "Screening", "template": "api-test-template", "starts_on": "2027-01-04", "ends_on": "2027-12-17"},
        format="json",
    )

    project = Project.objects.get()
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": project.pk,
            "name": "Screening",
            "template": "api-test-template",
            "phase": "problem-understanding",
            "starts_on": "2027-01-04",
            "ends_on": "2027-12-17",
        },
    )
    assert [(slot.profession.slug, slot.phases) for slot in project.slots.all()] == [
        ("data-engineer", ["implementation"])
    ]


@pytest.mark.parametrize("persona", ["lead_api", "viewer_api", "integration_api"])
def test_only_managers_start_projects(request: pytest.FixtureRequest, persona: str) -> None:
    response = request.getfixturevalue(persona).post(
        API + "projects/", {"name": "Triage", "starts_on": "2027-02-01", "ends_on": "2027-03-01"}, format="json"
    )

    assert (response.status_code, response.json()) == (403, {"detail": "Only managers create and change projects."})
    assert projects_table() == []


VALID = {"name": "Triage", "starts_on": "2027-02-01", "ends_on": "2027-03-01"}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"ends_on": "2027-01-31"}, {"ends_on": ["A project cannot end before it starts."]}),
        ({"template": "moon-landing"}, {"template": ["There is no project template with the slug moon-landing."]}),
        ({"template": 1}, {"template": ["There is no project template with the slug 1."]}),
        (
            {"starts_on": "1 Feb 2027"},
            {"starts_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        ({"starts_on": None}, {"starts_on": ["This field may not be null."]}),
        ({"name": "x" * 10_240}, {"name": ["Ensure this field has no more than 200 characters."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
    ],
)
def test_bad_input_to_start_a_project_is_400_and_starts_nothing(
    manager_api: APIClient, template: ProjectTemplate, change: dict, errors: dict
) -> None:
    response = manager_api.post(API + "projects/", VALID | change, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert projects_table() == []


def test_a_project_needs_a_name_and_dates(manager_api: APIClient) -> None:
    response = manager_api.post(API + "projects/", {}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {
            "name": ["This field is required."],
            "starts_on": ["This field is required."],
            "ends_on": ["This field is required."],
        },
    )
    assert projects_table() == []


def test_malformed_json_starts_no_project(manager_api: APIClient) -> None:
    response = manager_api.post(API + "projects/", "[1, 2", content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - Expecting ',' delimiter: line 1 column 6 (char 5)"},
    )
    assert projects_table() == []


def test_a_project_in_a_wrong_content_type_is_415(manager_api: APIClient) -> None:
    response = manager_api.post(API + "projects/", json.dumps(VALID), content_type="application/yaml")

    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "application/yaml" in request.'},
    )
    assert projects_table() == []
