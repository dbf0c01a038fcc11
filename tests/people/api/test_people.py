"""People through the API: what each persona sees, the filters, and managers' changes."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from people.models import Person, Team
from tests.conftest import API, token_client
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    TeamFactory,
    UserFactory,
    profession,
    skill,
)
from ui.formats import format_date

pytestmark = pytest.mark.django_db


def as_json(person: Person, ratings: dict[str, int] | None = None) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "profession": person.profession.slug,
        "team": person.team_id,
        "capacity_fte": float(person.capacity_fte),
        "ratings": ratings or {},
    }


def names(response) -> list[str]:
    return [person["name"] for person in response.json()["results"]]


def snapshot() -> list[tuple]:
    return list(Person.objects.order_by("id").values_list("id", "name", "profession_id", "team_id", "capacity_fte"))


# Reading


def test_a_person_has_exactly_the_contract_fields(lead_api: APIClient, viewer: User) -> None:
    person = viewer.person
    SkillRatingFactory(person=person, skill=skill("storytelling"), level=2)
    SkillRatingFactory(person=person, skill=skill("statistics"), level=4)

    response = lead_api.get(f"{API}people/{person.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": person.pk,
        "name": "Vic Viewer",
        "profession": "data-scientist",
        "team": person.team_id,
        "capacity_fte": 1.0,
        "ratings": {"statistics": 4, "storytelling": 2},
    }
    assert list(response.json()["ratings"]) == ["statistics", "storytelling"]  # catalogue order


def test_the_list_is_paginated_in_name_order(manager_api: APIClient, lead: User, viewer: User, outsider: User) -> None:
    response = manager_api.get(API + "people/")

    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [as_json(lead.person), as_json(outsider.person), as_json(viewer.person)],
    }


@pytest.mark.parametrize("persona", ["manager_api", "lead_api", "integration_api"])
def test_managers_leads_and_integrations_see_everyone(
    request: pytest.FixtureRequest, persona: str, lead: User, viewer: User, outsider: User
) -> None:
    client = request.getfixturevalue(persona)

    response = client.get(API + "people/")

    assert names(response) == ["Lena Lead", "Olive Outsider", "Vic Viewer"]
    assert client.get(f"{API}people/{outsider.person.pk}/").json() == as_json(outsider.person)


def test_viewer_sees_only_themselves(viewer_api: APIClient, viewer: User, lead: User, outsider: User) -> None:
    response = viewer_api.get(API + "people/")

    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [as_json(viewer.person)]}


@pytest.mark.parametrize("other", ["lead", "outsider"])
def test_viewer_gets_404_for_anyone_else(request: pytest.FixtureRequest, viewer_api: APIClient, other: str) -> None:
    someone = request.getfixturevalue(other).person

    response = viewer_api.get(f"{API}people/{someone.pk}/")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_user_without_a_person_sees_nobody(outsider: User) -> None:
    client = token_client(UserFactory(username="newcomer"))

    assert client.get(API + "people/").json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_an_unknown_person_is_404_json(manager_api: APIClient) -> None:
    response = manager_api.get(f"{API}people/999999/")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


# Filters


@pytest.fixture
def staff(imaging: Team) -> dict[str, Person]:
    """Four people: two in Imaging, one engineer in Pathology, one analyst with no team."""
    pathology = TeamFactory(name="Pathology")
    people = {
        "ada": PersonFactory(name="Ada", team=imaging),
        "ben": PersonFactory(name="Ben", team=imaging, profession=profession("ml-engineer")),
        "cy": PersonFactory(name="Cy", team=pathology, profession=profession("data-engineer")),
        "dee": PersonFactory(name="Dee", team=None, profession=profession("data-analyst")),
    }
    SkillRatingFactory(person=people["ada"], skill=skill("ml-ops"), level=1)
    SkillRatingFactory(person=people["ben"], skill=skill("ml-ops"), level=4)
    SkillRatingFactory(person=people["cy"], skill=skill("ml-ops"), level=3)
    SkillRatingFactory(person=people["dee"], skill=skill("statistics"), level=5)
    return people


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Ada", "Ben", "Cy", "Dee"]),
        ({"profession": "ml-engineer"}, ["Ben"]),
        ({"profession": "data-scientist"}, ["Ada"]),
        ({"skill": "ml-ops"}, ["Ada", "Ben", "Cy"]),
        ({"skill": "ml-ops", "min_level": 3}, ["Ben", "Cy"]),
        ({"skill": "ml-ops", "min_level": 5}, []),
        ({"skill": "ml-ops", "min_level": 0}, ["Ada", "Ben", "Cy", "Dee"]),
        ({"skill": "deployment"}, []),
        ({"skill": "ml-ops", "min_level": 2, "profession": "data-engineer"}, ["Cy"]),
    ],
)
def test_people_are_filtered_by_profession_and_skill_level(
    manager_api: APIClient, staff: dict[str, Person], query: dict, expected: list[str]
) -> None:
    assert names(manager_api.get(API + "people/", query)) == expected


def test_people_are_filtered_by_team(manager_api: APIClient, staff: dict[str, Person], imaging: Team) -> None:
    assert names(manager_api.get(API + "people/", {"team": imaging.pk})) == ["Ada", "Ben"]
    assert names(manager_api.get(API + "people/", {"team": staff["cy"].team_id})) == ["Cy"]


def test_filters_never_widen_what_a_viewer_sees(viewer_api: APIClient, viewer: User, staff: dict) -> None:
    response = viewer_api.get(API + "people/", {"team": viewer.person.team_id})

    assert names(response) == ["Vic Viewer"]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"profession": "astronaut"}, {"profession": ["There is no profession with this slug."]}),
        ({"team": "abc"}, {"team": ["There is no team with this id."]}),
        ({"team": 999999}, {"team": ["There is no team with this id."]}),
        ({"skill": "juggling"}, {"skill": ["There is no skill with this slug."]}),
        ({"skill": "ml-ops", "min_level": 6}, {"min_level": ["Ensure this value is less than or equal to 5."]}),
        ({"skill": "ml-ops", "min_level": -1}, {"min_level": ["Ensure this value is greater than or equal to 0."]}),
        ({"skill": "ml-ops", "min_level": "high"}, {"min_level": ["Enter a whole number."]}),
        ({"min_level": 2}, {"min_level": ["Give the skill too: min_level applies to the skill filter."]}),
    ],
)
def test_a_bad_filter_is_400_json(manager_api: APIClient, staff: dict, query: dict, errors: dict) -> None:
    response = manager_api.get(API + "people/", query)

    assert (response.status_code, response.json()) == (400, errors)


# Pagination and queries


def test_pages_link_to_each_other(manager_api: APIClient, staff: dict[str, Person]) -> None:
    first = manager_api.get(API + "people/", {"page_size": 3}).json()
    second = manager_api.get(API + "people/", {"page_size": 3, "page": 2}).json()

    assert first == {
        "count": 4,
        "next": "http://testserver/api/v1/people/?page=2&page_size=3",
        "previous": None,
        "results": [
            as_json(staff["ada"], {"ml-ops": 1}),
            as_json(staff["ben"], {"ml-ops": 4}),
            as_json(staff["cy"], {"ml-ops": 3}),
        ],
    }
    assert second == {
        "count": 4,
        "next": None,
        "previous": "http://testserver/api/v1/people/?page_size=3",
        "results": [as_json(staff["dee"], {"statistics": 5})],
    }


def test_a_page_past_the_end_is_404_json(manager_api: APIClient, staff: dict) -> None:
    response = manager_api.get(API + "people/", {"page": 9})

    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


def test_page_size_is_capped_at_500(manager_api: APIClient) -> None:
    team = TeamFactory(name="Everyone")
    Person.objects.bulk_create(
        Person(name=f"Person {n:04d}", profession=profession("data-analyst"), team=team) for n in range(501)
    )

    body = manager_api.get(API + "people/", {"page_size": 10_000}).json()

    assert (body["count"], len(body["results"]), body["next"]) == (
        501,
        500,
        "http://testserver/api/v1/people/?page=2&page_size=10000",
    )


@pytest.mark.parametrize("count", [1, 3])
def test_people_list_runs_the_same_queries_for_one_or_three(
    manager_api: APIClient, django_assert_num_queries, count: int
) -> None:
    for n in range(count):
        person = PersonFactory(name=f"Person {n}")
        SkillRatingFactory(person=person, skill=skill("statistics"), level=2)
        SkillRatingFactory(person=person, skill=skill("reporting"), level=3)

    # token and user; the user's groups; count; the page of people with professions; their ratings with skills
    with django_assert_num_queries(5):
        response = manager_api.get(API + "people/")

    assert len(response.json()["results"]) == count
    assert response.json()["results"][0]["ratings"] == {"statistics": 2, "reporting": 3}


@pytest.mark.parametrize("count", [1, 3])
def test_a_filtered_people_list_runs_the_same_queries_for_one_or_three(
    manager_api: APIClient, django_assert_num_queries, count: int
) -> None:
    for n in range(count):
        SkillRatingFactory(person=PersonFactory(name=f"Person {n}"), skill=skill("statistics"), level=4)

    # token and user; the user's groups; the profession and the skill named in the query;
    # count; the page of people; their ratings
    with django_assert_num_queries(7):
        response = manager_api.get(
            API + "people/", {"profession": "data-scientist", "skill": "statistics", "min_level": 3}
        )

    assert len(response.json()["results"]) == count


# Creating


def test_a_manager_adds_a_person(manager_api: APIClient, imaging: Team) -> None:
    response = manager_api.post(
        API + "people/",
        {"name": "Nia New", "profession": "data-engineer", "team": imaging.pk, "capacity_fte": 0.6},
        format="json",
    )

    person = Person.objects.get(name="Nia New")
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": person.pk,
            "name": "Nia New",
            "profession": "data-engineer",
            "team": imaging.pk,
            "capacity_fte": 0.6,
            "ratings": {},
        },
    )
    assert (person.profession.slug, person.team, person.capacity_fte) == ("data-engineer", imaging, Decimal("0.60"))


def test_a_new_person_works_full_time_in_no_team_by_default(manager_api: APIClient) -> None:
    response = manager_api.post(API + "people/", {"name": "Nia New", "profession": "data-analyst"}, format="json")

    person = Person.objects.get(name="Nia New")
    assert response.json() == as_json(person)
    assert (person.team, person.capacity_fte) == (None, Decimal("1.00"))


@pytest.mark.parametrize("persona", ["lead_api", "viewer_api", "integration_api"])
def test_only_managers_add_people(request: pytest.FixtureRequest, persona: str, viewer: User) -> None:
    client = request.getfixturevalue(persona)
    before = snapshot()

    response = client.post(API + "people/", {"name": "Nia New", "profession": "data-analyst"}, format="json")

    assert (response.status_code, response.json()) == (403, {"detail": "Only managers create and change people."})
    assert snapshot() == before


VALID = {"name": "Nia New", "profession": "data-analyst", "capacity_fte": 0.5}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"capacity_fte": 0}, {"capacity_fte": ["Ensure this value is greater than or equal to 0.10."]}),
        ({"capacity_fte": 0.05}, {"capacity_fte": ["Ensure this value is greater than or equal to 0.10."]}),
        ({"capacity_fte": 1.5}, {"capacity_fte": ["Ensure this value is less than or equal to 1.00."]}),
        ({"capacity_fte": -1}, {"capacity_fte": ["Ensure this value is greater than or equal to 0.10."]}),
        ({"capacity_fte": "lots"}, {"capacity_fte": ["A valid number is required."]}),
        ({"capacity_fte": 0.555}, {"capacity_fte": ["Ensure that there are no more than 2 decimal places."]}),
        ({"name": "x" * 10_240}, {"name": ["Ensure this field has no more than 200 characters."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": None}, {"name": ["This field may not be null."]}),
        ({"profession": "astronaut"}, {"profession": ["There is no profession with the slug astronaut."]}),
        ({"profession": None}, {"profession": ["This field may not be null."]}),
        ({"team": 999999}, {"team": ["There is no team with the id 999999."]}),
        ({"team": "abc"}, {"team": ["Incorrect type. Expected pk value, received str."]}),
    ],
)
def test_bad_input_to_create_is_400_and_adds_nobody(
    manager_api: APIClient, viewer: User, change: dict, errors: dict
) -> None:
    before = snapshot()

    response = manager_api.post(API + "people/", VALID | change, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert snapshot() == before


def test_create_requires_name_and_profession(manager_api: APIClient) -> None:
    response = manager_api.post(API + "people/", {}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"name": ["This field is required."], "profession": ["This field is required."]},
    )
    assert not Person.objects.exists()


def test_malformed_json_is_400_and_adds_nobody(manager_api: APIClient) -> None:
    response = manager_api.post(API + "people/", '{"name": "Nia', content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - Unterminated string starting at: line 1 column 10 (char 9)"},
    )
    assert not Person.objects.exists()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_wrong_content_type_is_415_and_adds_nobody(manager_api: APIClient, content_type: str) -> None:
    response = manager_api.post(API + "people/", json.dumps(VALID), content_type=content_type)

    assert (response.status_code, response.json()) == (
        415,
        {"detail": f'Unsupported media type "{content_type}" in request.'},
    )
    assert not Person.objects.exists()


# Changing


def test_a_manager_changes_a_persons_team_and_capacity(manager_api: APIClient, viewer: User) -> None:
    person = viewer.person
    SkillRatingFactory(person=person, skill=skill("research"), level=3)
    pathology = TeamFactory(name="Pathology")

    response = manager_api.patch(
        f"{API}people/{person.pk}/", {"team": pathology.pk, "capacity_fte": "0.8"}, format="json"
    )

    person.refresh_from_db()
    assert (person.team, person.capacity_fte, person.name) == (pathology, Decimal("0.80"), "Vic Viewer")
    assert (response.status_code, response.json()) == (200, as_json(person, {"research": 3}))


def test_a_capacity_below_the_confirmed_load_is_409_and_changes_nothing(manager_api: APIClient, viewer: User) -> None:
    person = viewer.person
    first = timezone.localdate() + dt.timedelta(days=3)
    slot = RoleSlotFactory(starts_on=first, ends_on=first + dt.timedelta(days=20))
    AssignmentFactory(person=person, slot=slot, allocation=Decimal("0.80"))

    response = manager_api.patch(f"{API}people/{person.pk}/", {"capacity_fte": "0.5", "name": "Vic V."}, format="json")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": f"Vic Viewer is booked at 0.80 FTE on {format_date(first)}, above the new capacity of 0.50 FTE."},
    )
    person.refresh_from_db()
    assert (person.capacity_fte, person.name) == (Decimal("1.00"), "Vic Viewer")


def test_a_capacity_that_still_holds_the_confirmed_load_is_saved(manager_api: APIClient, viewer: User) -> None:
    person = viewer.person
    first = timezone.localdate() + dt.timedelta(days=3)
    AssignmentFactory(person=person, slot=RoleSlotFactory(starts_on=first, ends_on=first), allocation=Decimal("0.80"))

    response = manager_api.patch(f"{API}people/{person.pk}/", {"capacity_fte": "0.8"}, format="json")

    person.refresh_from_db()
    assert (response.status_code, response.json()["capacity_fte"], person.capacity_fte) == (200, 0.8, Decimal("0.80"))


def test_a_manager_takes_a_person_out_of_their_team(manager_api: APIClient, viewer: User) -> None:
    response = manager_api.patch(f"{API}people/{viewer.person.pk}/", {"team": None}, format="json")

    viewer.person.refresh_from_db()
    assert (response.json()["team"], viewer.person.team) == (None, None)


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"capacity_fte": 0}, {"capacity_fte": ["Ensure this value is greater than or equal to 0.10."]}),
        ({"capacity_fte": 1.01}, {"capacity_fte": ["Ensure this value is less than or equal to 1.00."]}),
        ({"name": "x" * 10_240}, {"name": ["Ensure this field has no more than 200 characters."]}),
        ({"profession": "astronaut"}, {"profession": ["There is no profession with the slug astronaut."]}),
        ({"name": "Fine", "team": 999999}, {"team": ["There is no team with the id 999999."]}),
    ],
)
def test_bad_input_to_a_change_is_400_and_changes_nothing(
    manager_api: APIClient, viewer: User, change: dict, errors: dict
) -> None:
    before = snapshot()

    response = manager_api.patch(f"{API}people/{viewer.person.pk}/", change, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert snapshot() == before


def test_malformed_json_to_a_change_is_400_and_changes_nothing(manager_api: APIClient, viewer: User) -> None:
    before = snapshot()

    response = manager_api.patch(f"{API}people/{viewer.person.pk}/", "{", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    }
    assert snapshot() == before


def test_a_change_with_a_wrong_content_type_is_415(manager_api: APIClient, viewer: User) -> None:
    before = snapshot()

    response = manager_api.patch(f"{API}people/{viewer.person.pk}/", "name=Bob", content_type="text/plain")

    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "text/plain" in request.'},
    )
    assert snapshot() == before


def test_a_lead_may_not_change_a_person(lead_api: APIClient, viewer: User) -> None:
    before = snapshot()

    response = lead_api.patch(f"{API}people/{viewer.person.pk}/", {"capacity_fte": 0.5}, format="json")

    assert (response.status_code, response.json()) == (403, {"detail": "Only managers create and change people."})
    assert snapshot() == before


def test_viewer_may_not_change_themselves(viewer_api: APIClient, viewer: User) -> None:
    before = snapshot()

    response = viewer_api.patch(f"{API}people/{viewer.person.pk}/", {"capacity_fte": 0.5}, format="json")

    assert (response.status_code, response.json()) == (403, {"detail": "Only managers create and change people."})
    assert snapshot() == before


def test_changing_someone_a_viewer_cannot_see_is_404(viewer_api: APIClient, outsider: User) -> None:
    before = snapshot()

    response = viewer_api.patch(f"{API}people/{outsider.person.pk}/", {"capacity_fte": 0.5}, format="json")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert snapshot() == before


def test_changing_an_unknown_person_is_404(manager_api: APIClient) -> None:
    response = manager_api.patch(f"{API}people/999999/", {"capacity_fte": 0.5}, format="json")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
