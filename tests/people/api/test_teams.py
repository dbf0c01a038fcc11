"""Teams: everyone signed in reads them; managers create them."""

import json

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from people.models import Team
from tests.conftest import API
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def teams_table() -> list[tuple]:
    return list(Team.objects.order_by("id").values_list("id", "name", "lead_id"))


@pytest.mark.parametrize("persona", ["manager_api", "lead_api", "viewer_api", "outsider_api", "integration_api"])
def test_everyone_signed_in_reads_the_teams_and_their_leads(
    request: pytest.FixtureRequest, persona: str, lead: User, outsider: User
) -> None:
    imaging, pathology = Team.objects.get(name="Imaging"), Team.objects.get(name="Pathology")

    response = request.getfixturevalue(persona).get(API + "teams/")

    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {"id": imaging.pk, "name": "Imaging", "lead": lead.person.pk},
            {"id": pathology.pk, "name": "Pathology", "lead": None},
        ],
    }


@pytest.mark.parametrize("count", [1, 3])
def test_teams_list_runs_the_same_queries_for_one_or_three(
    viewer_api: APIClient, django_assert_num_queries, count: int
) -> None:
    for n in range(count - 1):  # the viewer's own team is one
        TeamFactory(name=f"Team {n}")

    # token and user; count; the page of teams
    with django_assert_num_queries(3):
        response = viewer_api.get(API + "teams/")

    assert response.json()["count"] == count


def test_a_manager_creates_a_team_with_a_lead(manager_api: APIClient, outsider: User) -> None:
    response = manager_api.post(API + "teams/", {"name": "Radiology", "lead": outsider.person.pk}, format="json")

    team = Team.objects.get(name="Radiology")
    assert (response.status_code, response.json()) == (
        201,
        {"id": team.pk, "name": "Radiology", "lead": outsider.person.pk},
    )
    assert team.lead == outsider.person


def test_a_team_may_start_without_a_lead(manager_api: APIClient) -> None:
    response = manager_api.post(API + "teams/", {"name": "Radiology"}, format="json")

    team = Team.objects.get(name="Radiology")
    assert (response.status_code, response.json()) == (201, {"id": team.pk, "name": "Radiology", "lead": None})


@pytest.mark.parametrize("persona", ["lead_api", "viewer_api", "integration_api"])
def test_only_managers_create_teams(request: pytest.FixtureRequest, persona: str) -> None:
    client = request.getfixturevalue(persona)
    before = teams_table()

    response = client.post(API + "teams/", {"name": "Radiology"}, format="json")

    assert (response.status_code, response.json()) == (403, {"detail": "Only managers create teams."})
    assert teams_table() == before


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "Imaging"}, {"name": ["A team with this name already exists."]}),
        ({"name": "x" * 101}, {"name": ["Ensure this field has no more than 100 characters."]}),
        ({"name": "x" * 10_240}, {"name": ["Ensure this field has no more than 100 characters."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({}, {"name": ["This field is required."]}),
        ({"name": "Radiology", "lead": 999999}, {"lead": ["There is no person with the id 999999."]}),
        ({"name": "Radiology", "lead": "lena"}, {"lead": ["Incorrect type. Expected pk value, received str."]}),
    ],
)
def test_bad_input_to_create_a_team_is_400_and_creates_nothing(
    manager_api: APIClient, lead: User, body: dict, errors: dict
) -> None:
    before = teams_table()

    response = manager_api.post(API + "teams/", body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert teams_table() == before


def test_malformed_json_creates_no_team(manager_api: APIClient) -> None:
    response = manager_api.post(API + "teams/", '{"name": }', content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - Expecting value: line 1 column 10 (char 9)"},
    )
    assert teams_table() == []


def test_a_team_in_a_wrong_content_type_is_415(manager_api: APIClient) -> None:
    response = manager_api.post(API + "teams/", json.dumps({"name": "Radiology"}), content_type="text/csv")

    assert (response.status_code, response.json()) == (415, {"detail": 'Unsupported media type "text/csv" in request.'})
    assert teams_table() == []
