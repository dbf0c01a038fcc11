"""Skill groups, skills and professions: read-only, by slug, with the built-in catalogue."""

import pytest
from rest_framework.test import APIClient

from skills.models import Skill, SkillGroup
from tests.conftest import API

pytestmark = pytest.mark.django_db

SKILL_GROUPS = [
    {"slug": "science", "name": "Science", "skills": ["statistics", "ml-modelling", "research", "experimentation"]},
    {"slug": "infrastructure", "name": "Infrastructure", "skills": ["databases", "data-pipelines"]},
    {"slug": "production", "name": "Production", "skills": ["deployment", "ml-ops"]},
    {
        "slug": "knowledge-discovery",
        "name": "Knowledge discovery",
        "skills": ["data-visualisation", "business-insights"],
    },
    {"slug": "communication", "name": "Communication", "skills": ["reporting", "storytelling"]},
]

SKILLS = [
    {"slug": "statistics", "name": "Statistics", "group": "science"},
    {"slug": "ml-modelling", "name": "ML modelling", "group": "science"},
    {"slug": "research", "name": "Research", "group": "science"},
    {"slug": "experimentation", "name": "Experimentation", "group": "science"},
    {"slug": "databases", "name": "Databases", "group": "infrastructure"},
    {"slug": "data-pipelines", "name": "Data pipelines", "group": "infrastructure"},
    {"slug": "deployment", "name": "Deployment", "group": "production"},
    {"slug": "ml-ops", "name": "ML Ops", "group": "production"},
    {"slug": "data-visualisation", "name": "Data visualisation", "group": "knowledge-discovery"},
    {"slug": "business-insights", "name": "Business insights", "group": "knowledge-discovery"},
    {"slug": "reporting", "name": "Reporting", "group": "communication"},
    {"slug": "storytelling", "name": "Storytelling", "group": "communication"},
]

SKILL_ORDER = [skill["slug"] for skill in SKILLS]


def spectrum(*levels: int) -> dict[str, int]:
    return dict(zip(SKILL_ORDER, levels, strict=True))


PROFESSIONS = [
    {"slug": "data-scientist", "name": "Data scientist", "spectrum": spectrum(4, 4, 4, 4, 2, 2, 2, 2, 3, 3, 3, 3)},
    {"slug": "data-analyst", "name": "Data analyst", "spectrum": spectrum(2, 1, 2, 2, 2, 1, 0, 0, 4, 4, 4, 4)},
    {"slug": "data-engineer", "name": "Data engineer", "spectrum": spectrum(2, 2, 2, 2, 4, 4, 3, 3, 2, 2, 2, 2)},
    {"slug": "ml-engineer", "name": "ML engineer", "spectrum": spectrum(2, 4, 2, 2, 3, 3, 4, 4, 1, 1, 2, 1)},
]


def page(results: list) -> dict:
    return {"count": len(results), "next": None, "previous": None, "results": results}


def test_skill_groups_are_the_built_in_five_with_their_skills(viewer_api: APIClient) -> None:
    response = viewer_api.get(API + "skill-groups/")

    assert response.status_code == 200
    assert response.json() == page(SKILL_GROUPS)


def test_skills_are_the_built_in_twelve_in_catalogue_order(viewer_api: APIClient) -> None:
    response = viewer_api.get(API + "skills/")

    assert response.status_code == 200
    assert response.json() == page(SKILLS)


def test_professions_are_the_built_in_four_with_their_spectrum(viewer_api: APIClient) -> None:
    response = viewer_api.get(API + "professions/")

    assert response.status_code == 200
    assert response.json() == page(PROFESSIONS)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("skill-groups/production/", SKILL_GROUPS[2]),
        ("skills/ml-ops/", SKILLS[7]),
        ("professions/ml-engineer/", PROFESSIONS[3]),
    ],
)
def test_catalogue_rows_are_found_by_slug(viewer_api: APIClient, path: str, expected: dict) -> None:
    response = viewer_api.get(API + path)

    assert (response.status_code, response.json()) == (200, expected)


@pytest.mark.parametrize("path", ["skill-groups/nope/", "skills/nope/", "professions/nope/", "skills/1/"])
def test_an_unknown_slug_is_404_json(viewer_api: APIClient, path: str) -> None:
    response = viewer_api.get(API + path)

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_an_organisation_skill_appears_in_its_group(viewer_api: APIClient) -> None:
    group = SkillGroup.objects.create(slug="standards", name="Standards", order=6)
    Skill.objects.create(slug="hl7-fhir", name="HL7 FHIR", group=group, order=1)

    response = viewer_api.get(API + "skill-groups/standards/")

    assert response.json() == {"slug": "standards", "name": "Standards", "skills": ["hl7-fhir"]}
    assert viewer_api.get(API + "skills/hl7-fhir/").json() == {
        "slug": "hl7-fhir",
        "name": "HL7 FHIR",
        "group": "standards",
    }


@pytest.mark.parametrize("page_size", [1, 3])
def test_skill_groups_list_runs_the_same_queries_for_one_or_three(
    viewer_api: APIClient, django_assert_num_queries, page_size: int
) -> None:
    # token and user; count; the page of groups; their skills (prefetch)
    with django_assert_num_queries(4):
        response = viewer_api.get(API + "skill-groups/", {"page_size": page_size})

    assert [group["slug"] for group in response.json()["results"]] == [g["slug"] for g in SKILL_GROUPS[:page_size]]


@pytest.mark.parametrize("page_size", [1, 3])
def test_skills_list_runs_the_same_queries_for_one_or_three(
    viewer_api: APIClient, django_assert_num_queries, page_size: int
) -> None:
    # token and user; count; the page of skills joined to their group
    with django_assert_num_queries(3):
        response = viewer_api.get(API + "skills/", {"page_size": page_size})

    assert response.json()["results"] == SKILLS[:page_size]


@pytest.mark.parametrize("page_size", [1, 3])
def test_professions_list_runs_the_same_queries_for_one_or_three(
    viewer_api: APIClient, django_assert_num_queries, page_size: int
) -> None:
    # token and user; count; the page of professions; their spectrum with skills (prefetch)
    with django_assert_num_queries(4):
        response = viewer_api.get(API + "professions/", {"page_size": page_size})

    assert response.json()["results"] == PROFESSIONS[:page_size]


def test_the_catalogue_cannot_be_changed_through_the_api(manager_api: APIClient) -> None:
    response = manager_api.post(API + "skills/", {"slug": "x", "name": "X", "group": "science"}, format="json")

    assert (response.status_code, response.json()) == (405, {"detail": 'Method "POST" not allowed.'})
    assert Skill.objects.count() == 12
