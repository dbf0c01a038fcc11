"""PUT people/{id}/ratings/: who may rate whom, the audit trail, and all-or-nothing validation."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from people.models import Person, RatingSource, SkillRating, SkillRatingChange
from tests.conftest import API
from tests.factories import SkillRatingFactory, skill

pytestmark = pytest.mark.django_db

EARLIER = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def ratings_url(person: Person) -> str:
    return f"{API}people/{person.pk}/ratings/"


def ratings_table() -> list[tuple]:
    return list(
        SkillRating.objects.order_by("id").values_list("person_id", "skill__slug", "level", "source", "rated_by_id")
    )


def changes_table() -> list[tuple]:
    return list(
        SkillRatingChange.objects.order_by("id").values_list(
            "person_id", "skill__slug", "from_level", "to_level", "source", "changed_by_id"
        )
    )


@pytest.fixture
def vic(viewer: User) -> Person:
    """Vic Viewer, a member of Imaging, with a lead rating of 2 in statistics."""
    SkillRatingFactory(
        person=viewer.person, skill=skill("statistics"), level=2, source=RatingSource.LEAD, rated_at=EARLIER
    )
    return viewer.person


def test_a_person_rates_themselves_as_a_self_assessment(viewer_api: APIClient, viewer: User, vic: Person) -> None:
    before = timezone.now()

    response = viewer_api.put(ratings_url(vic), {"statistics": 3, "storytelling": 4}, format="json")

    assert (response.status_code, response.json()) == (
        200,
        {
            "id": vic.pk,
            "name": "Vic Viewer",
            "profession": "data-scientist",
            "team": vic.team_id,
            "capacity_fte": 1.0,
            "ratings": {"statistics": 3, "storytelling": 4},
        },
    )
    assert ratings_table() == [
        (vic.pk, "statistics", 3, "self", viewer.pk),
        (vic.pk, "storytelling", 4, "self", viewer.pk),
    ]
    assert changes_table() == [
        (vic.pk, "statistics", 2, 3, "self", viewer.pk),
        (vic.pk, "storytelling", None, 4, "self", viewer.pk),
    ]
    assert all(before <= change.changed_at <= timezone.now() for change in SkillRatingChange.objects.all())
    assert all(rating.rated_at == SkillRatingChange.objects.first().changed_at for rating in SkillRating.objects.all())


def test_a_lead_rates_a_member_of_their_team(lead_api: APIClient, lead: User, vic: Person) -> None:
    response = lead_api.put(ratings_url(vic), {"statistics": 4}, format="json")

    assert response.json()["ratings"] == {"statistics": 4}
    assert ratings_table() == [(vic.pk, "statistics", 4, "lead", lead.pk)]
    assert changes_table() == [(vic.pk, "statistics", 2, 4, "lead", lead.pk)]


def test_an_unchanged_level_records_nothing(viewer_api: APIClient, vic: Person) -> None:
    viewer_api.put(ratings_url(vic), {"statistics": 3}, format="json")
    before = (ratings_table(), changes_table(), list(SkillRating.objects.values_list("rated_at", flat=True)))

    response = viewer_api.put(ratings_url(vic), {"statistics": 3}, format="json")

    assert (response.status_code, response.json()["ratings"]) == (200, {"statistics": 3})
    assert (ratings_table(), changes_table(), list(SkillRating.objects.values_list("rated_at", flat=True))) == before


def test_a_lead_repeating_a_self_assessment_validates_it(
    viewer_api: APIClient, lead_api: APIClient, viewer: User, lead: User, vic: Person
) -> None:
    viewer_api.put(ratings_url(vic), {"statistics": 3}, format="json")

    lead_api.put(ratings_url(vic), {"statistics": 3}, format="json")

    assert ratings_table() == [(vic.pk, "statistics", 3, "lead", lead.pk)]
    assert changes_table() == [
        (vic.pk, "statistics", 2, 3, "self", viewer.pk),
        (vic.pk, "statistics", 3, 3, "lead", lead.pk),
    ]


def test_a_superuser_rates_anyone_as_a_lead(admin_api: APIClient, admin: User, outsider: User) -> None:
    olive = outsider.person

    response = admin_api.put(ratings_url(olive), {"databases": 5}, format="json")

    assert response.json()["ratings"] == {"databases": 5}
    assert changes_table() == [(olive.pk, "databases", None, 5, "lead", admin.pk)]


@pytest.mark.parametrize("persona", ["lead_api", "manager_api", "integration_api"])
def test_others_who_can_see_a_person_may_not_rate_them(
    request: pytest.FixtureRequest, persona: str, outsider: User
) -> None:
    client = request.getfixturevalue(persona)
    olive = outsider.person

    response = client.put(ratings_url(olive), {"statistics": 5}, format="json")

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You may rate only yourself and the people of the teams you lead."},
    )
    assert (ratings_table(), changes_table()) == ([], [])


def test_rating_someone_a_viewer_cannot_see_is_404(viewer_api: APIClient, lead: User, vic: Person) -> None:
    before = ratings_table()

    response = viewer_api.put(ratings_url(lead.person), {"statistics": 0}, format="json")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert (ratings_table(), changes_table()) == (before, [])


def test_rating_an_unknown_person_is_404(lead_api: APIClient) -> None:
    response = lead_api.put(f"{API}people/999999/ratings/", {"statistics": 3}, format="json")

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


LEVEL = "A level is a whole number from 0 to 5."


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"statistics": 6}, {"statistics": [LEVEL]}),
        ({"statistics": -1}, {"statistics": [LEVEL]}),
        ({"statistics": "3"}, {"statistics": [LEVEL]}),
        ({"statistics": 3.0}, {"statistics": [LEVEL]}),
        ({"statistics": 2.5}, {"statistics": [LEVEL]}),
        ({"statistics": True}, {"statistics": [LEVEL]}),
        ({"statistics": None}, {"statistics": [LEVEL]}),
        ({"statistics": [3]}, {"statistics": [LEVEL]}),
        ({"juggling": 3}, {"juggling": ["There is no skill with this slug."]}),
        # All or nothing: the good entries are not written either.
        (
            {"research": 4, "statistics": 9, "juggling": 1},
            {"statistics": [LEVEL], "juggling": ["There is no skill with this slug."]},
        ),
        ({}, {"non_field_errors": ['Send an object of skill slugs and levels, e.g. {"statistics": 3}.']}),
        (
            [{"statistics": 3}],
            {"non_field_errors": ['Send an object of skill slugs and levels, e.g. {"statistics": 3}.']},
        ),
        (3, {"non_field_errors": ['Send an object of skill slugs and levels, e.g. {"statistics": 3}.']}),
        ("statistics=3", {"non_field_errors": ['Send an object of skill slugs and levels, e.g. {"statistics": 3}.']}),
        (None, {"non_field_errors": ["No data provided"]}),
    ],
)
def test_bad_ratings_are_400_and_change_nothing(viewer_api: APIClient, vic: Person, body: object, errors: dict) -> None:
    before = ratings_table()

    response = viewer_api.put(ratings_url(vic), json.dumps(body), content_type="application/json")

    assert (response.status_code, response.json()) == (400, errors)
    assert (ratings_table(), changes_table()) == (before, [])


def test_malformed_json_ratings_are_400_and_change_nothing(viewer_api: APIClient, vic: Person) -> None:
    before = ratings_table()

    response = viewer_api.put(ratings_url(vic), '{"statistics": 3', content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - Expecting ',' delimiter: line 1 column 17 (char 16)"},
    )
    assert (ratings_table(), changes_table()) == (before, [])


def test_ratings_in_a_wrong_content_type_are_415_and_change_nothing(viewer_api: APIClient, vic: Person) -> None:
    before = ratings_table()

    response = viewer_api.put(ratings_url(vic), "statistics=3", content_type="application/x-www-form-urlencoded")

    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.'},
    )
    assert (ratings_table(), changes_table()) == (before, [])


@pytest.mark.parametrize("slugs", [["research"], ["research", "reporting", "deployment"]])
def test_rating_one_skill_or_three_runs_the_same_queries(
    viewer_api: APIClient, vic: Person, django_assert_num_queries, slugs: list[str]
) -> None:
    # token and user; the user's groups; the person; savepoint; the person locked; the skills named;
    # their current ratings; insert the ratings; insert the changes; release; the answer: the person, their ratings
    with django_assert_num_queries(12):
        response = viewer_api.put(ratings_url(vic), dict.fromkeys(slugs, 3), format="json")

    assert response.json()["ratings"] == {"statistics": 2} | dict.fromkeys(slugs, 3)
