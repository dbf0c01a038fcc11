"""The people list with its filters, and a person's page; both show only whom the user may see."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Person, RatingSource
from projects.models import AssignmentStatus
from tests.builders import day, page_text
from tests.factories import (
    AssignmentFactory,
    CertificationFactory,
    PersonFactory,
    SkillRatingFactory,
    TeamFactory,
    certification_type,
    profession,
    skill,
)

pytestmark = pytest.mark.django_db


def names(response: object) -> list[str]:
    return [person.name for person in response.context["page"].object_list]  # type: ignore[attr-defined]


@pytest.fixture
def staff(imaging: object) -> dict[str, Person]:
    """Three people beside the personas: an engineer in Imaging, an analyst and a scientist elsewhere."""
    pathology = TeamFactory(name="Pathology")
    people = {
        "ada": PersonFactory(name="Ada Engineer", profession=profession("data-engineer"), team=imaging),
        "ben": PersonFactory(name="Ben Analyst", profession=profession("data-analyst"), team=pathology),
        "cai": PersonFactory(name="Cai Scientist", profession=profession("data-scientist"), team=pathology),
    }
    SkillRatingFactory(person=people["ada"], skill=skill("ml-ops"), level=4)
    SkillRatingFactory(person=people["ben"], skill=skill("ml-ops"), level=2)
    SkillRatingFactory(person=people["cai"], skill=skill("ml-ops"), level=3)
    return people


def test_a_manager_sees_everyone_by_name(
    signed_in: Callable[[User], Client], manager: User, viewer: User, staff: dict[str, Person]
) -> None:
    response = signed_in(manager).get(reverse("person_list"))

    assert names(response) == ["Ada Engineer", "Ben Analyst", "Cai Scientist", "Vic Viewer"]
    assert "4 people match." in page_text(response.content)
    assert "Ada Engineer Data engineer Imaging 1.00" in page_text(response.content)


def test_a_lead_sees_everyone(
    signed_in: Callable[[User], Client], lead: User, viewer: User, staff: dict[str, Person]
) -> None:
    assert names(signed_in(lead).get(reverse("person_list"))) == [
        "Ada Engineer",
        "Ben Analyst",
        "Cai Scientist",
        "Lena Lead",
        "Vic Viewer",
    ]


def test_a_viewer_sees_only_themselves(
    signed_in: Callable[[User], Client], viewer: User, staff: dict[str, Person]
) -> None:
    response = signed_in(viewer).get(reverse("person_list"))

    assert names(response) == ["Vic Viewer"]
    assert "1 person matches." in page_text(response.content)
    assert "Ada Engineer" not in page_text(response.content)


def test_the_list_filters_by_profession_and_team(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    client = signed_in(manager)
    pathology = staff["ben"].team

    assert names(client.get(reverse("person_list"), {"profession": "data-analyst"})) == ["Ben Analyst"]
    assert names(client.get(reverse("person_list"), {"team": pathology.pk})) == ["Ben Analyst", "Cai Scientist"]
    assert names(client.get(reverse("person_list"), {"team": pathology.pk, "profession": "data-scientist"})) == [
        "Cai Scientist"
    ]


def test_the_list_filters_by_a_skill_at_or_above_a_level_and_shows_that_rating(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    response = signed_in(manager).get(reverse("person_list"), {"skill": "ml-ops", "min_level": 3})
    text = page_text(response.content)

    assert names(response) == ["Ada Engineer", "Cai Scientist"]
    assert "2 people match: ML Ops at 3 Practitioner or above." in text
    assert "Ada Engineer Data engineer Imaging 1.00 4 Advanced" in text
    assert "Cai Scientist Data scientist Pathology 1.00 3 Practitioner" in text


def test_a_skill_without_a_level_means_rated_at_awareness_or_above_as_in_the_api(
    signed_in: Callable[[User], Client], manager: User, viewer: User, staff: dict[str, Person]
) -> None:
    client = signed_in(manager)
    SkillRatingFactory(person=viewer.person, skill=skill("ml-ops"), level=0)

    response = client.get(reverse("person_list"), {"skill": "ml-ops"})
    api = client.get("/api/v1/people/", {"skill": "ml-ops"}).json()

    assert [(p.name, p.skill_level) for p in response.context["page"].object_list] == [
        ("Ada Engineer", 4),
        ("Ben Analyst", 2),
        ("Cai Scientist", 3),
    ]
    assert [person["name"] for person in api["results"]] == names(response)
    assert "3 people match: ML Ops at 1 Awareness or above." in page_text(response.content)


def test_level_zero_shows_everyone_with_their_rating_or_none(
    signed_in: Callable[[User], Client], manager: User, viewer: User, staff: dict[str, Person]
) -> None:
    response = signed_in(manager).get(reverse("person_list"), {"skill": "ml-ops", "min_level": 0})

    assert [(p.name, p.skill_level) for p in response.context["page"].object_list] == [
        ("Ada Engineer", 4),
        ("Ben Analyst", 2),
        ("Cai Scientist", 3),
        ("Vic Viewer", None),
    ]
    assert "4 people match, with their ML Ops rating." in page_text(response.content)
    assert "Vic Viewer Data scientist Imaging 1.00 Not rated" in page_text(response.content)


@pytest.mark.parametrize(
    "query",
    [
        {"profession": "data-analyst"},
        {"team": "pathology"},
        {"skill": "ml-ops"},
        {"skill": "ml-ops", "min_level": 3},
        {"skill": "ml-ops", "min_level": 0},
        {"skill": "ml-ops", "min_level": 2, "profession": "data-engineer"},
    ],
)
def test_the_page_lists_the_people_the_api_lists_for_the_same_query(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person], query: dict[str, object]
) -> None:
    client = signed_in(manager)
    if query.get("team") == "pathology":
        query = query | {"team": staff["ben"].team.pk}

    api = client.get("/api/v1/people/", query).json()

    assert names(client.get(reverse("person_list"), query)) == [person["name"] for person in api["results"]]


def test_a_level_without_a_skill_asks_for_the_skill(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    response = signed_in(manager).get(reverse("person_list"), {"min_level": 3})

    assert "Give the skill too: min_level applies to the skill filter." in page_text(response.content)
    assert len(names(response)) == 3


def test_an_unknown_value_is_shown_beside_its_field_and_the_rest_still_filters(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    response = signed_in(manager).get(reverse("person_list"), {"skill": "juggling", "profession": "data-analyst"})

    assert "There is no skill with this slug." in page_text(response.content)
    assert names(response) == ["Ben Analyst"]


def test_filters_show_their_labels_and_chosen_values(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    html = signed_in(manager).get(reverse("person_list"), {"profession": "data-analyst"}).content.decode()

    for field, label in [
        ("profession", "Profession"),
        ("team", "Team"),
        ("skill", "Skill"),
        ("min_level", "Skill level"),
    ]:
        assert f'<label for="id_{field}">{label}</label>' in html
    assert '<option value="data-analyst" selected>Data analyst</option>' in html
    assert '<option value="" selected>Any rating</option>' in html
    assert '<option value="0">Everyone, rated or not</option>' in html
    assert '<option value="3">3 Practitioner or above</option>' in html


def test_the_list_pages_by_25_and_keeps_the_filters_in_page_links(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    team = TeamFactory(name="Big team")
    for number in range(26):
        PersonFactory(name=f"Person {number:02d}", team=team)
    PersonFactory(name="Elsewhere")
    client = signed_in(manager)

    first = client.get(reverse("person_list"), {"team": team.pk})
    second = client.get(reverse("person_list"), {"team": team.pk, "page": 2})

    assert len(names(first)) == 25
    assert names(second) == ["Person 25"]
    assert f'href="?team={team.pk}&amp;page=2" rel="next"' in first.content.decode()
    assert f'href="?team={team.pk}&amp;page=1" rel="prev"' in second.content.decode()


def test_htmx_gets_just_the_results_and_the_new_count(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    response = signed_in(manager).get(reverse("person_list"), {"profession": "data-analyst"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert "<html" not in html
    assert '<p id="people-count" hx-swap-oob="innerHTML">' in html
    assert "1 person matches." in page_text(html)
    assert "Ben Analyst" in html
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_whole_page_comes_back(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    html = signed_in(manager).get(reverse("person_list")).content.decode()

    assert "<h1>People</h1>" in html
    assert 'hx-get="/people/" hx-trigger="change, submit" hx-target="#people-results"' in html
    assert "hx-swap-oob" not in html


def test_a_history_restore_gets_the_whole_page_even_from_htmx(
    signed_in: Callable[[User], Client], manager: User, staff: dict[str, Person]
) -> None:
    response = signed_in(manager).get(
        reverse("person_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<h1>People</h1>" in response.content.decode()
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_the_same_queries_whatever_the_number_of_people(
    count: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    for _ in range(count):
        SkillRatingFactory(skill=skill("ml-ops"), level=4)
    client = signed_in(manager)

    # session, user, the user's groups (who may be seen), the skill chosen (form validation),
    # count for the paginator, the page of people with profession, team and rating,
    # then the filter form's choices: professions, teams, skills
    with django_assert_num_queries(9):
        response = client.get(reverse("person_list"), {"skill": "ml-ops", "min_level": 3})

    assert len(names(response)) == count


def test_a_person_page_shows_ratings_by_skill_group_with_the_scale(
    signed_in: Callable[[User], Client], lead: User, viewer: User
) -> None:
    person = viewer.person
    SkillRatingFactory(
        person=person, skill=skill("ml-ops"), level=3, source=RatingSource.LEAD, rated_by=lead, rated_at=timezone.now()
    )
    SkillRatingFactory(
        person=person,
        skill=skill("statistics"),
        level=5,
        source=RatingSource.SELF,
        rated_at=timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0)),
    )

    response = signed_in(lead).get(reverse("person_detail", args=[person.pk]))
    text = page_text(response.content)

    groups = response.context["rating_groups"]
    assert [group.group.slug for group in groups] == [
        "science",
        "infrastructure",
        "production",
        "knowledge-discovery",
        "communication",
    ]
    assert "Vic Viewer Profession Data scientist Team Imaging Capacity 1.00 FTE" in text
    assert "Science Statistics 5 Expert 4 Self-assessment 2 Mar 2026 ML modelling Not rated 4" in text
    assert "Production Deployment Not rated 2 – – ML Ops 3 Practitioner 2 Team lead (lead)" in text


def test_a_person_page_shows_certifications_with_expiry_and_assignments(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    person = viewer.person
    CertificationFactory(person=person, obtained_on=day("2024-01-01"), expires_on=day("2025-01-01"))
    CertificationFactory(
        person=person, kind=certification_type("hl7-fhir"), obtained_on=day("2026-01-01"), expires_on=None
    )
    AssignmentFactory(
        person=person,
        slot__project__name="Readmission risk",
        allocation=Decimal("0.30"),
        status=AssignmentStatus.TENTATIVE,
    )

    text = page_text(signed_in(viewer).get(reverse("person_detail", args=[person.pk])).content)

    assert "HL7 FHIR interoperability 1 Jan 2026 No expiry Valid" in text
    assert "Patient privacy and HIPAA training 1 Jan 2024 1 Jan 2025 Expired" in text
    assert "Readmission risk Data scientist 4 Jan 2027 30 Jun 2027 0.30 Tentative" in text


def test_a_viewer_may_not_see_someone_else(signed_in: Callable[[User], Client], viewer: User, outsider: User) -> None:
    response = signed_in(viewer).get(reverse("person_detail", args=[outsider.person.pk]))

    assert response.status_code == 404
    assert "Olive Outsider" not in response.content.decode()


def test_a_manager_sees_anyone(signed_in: Callable[[User], Client], manager: User, outsider: User) -> None:
    response = signed_in(manager).get(reverse("person_detail", args=[outsider.person.pk]))

    assert re.findall(r"<h1>(.*?)</h1>", response.content.decode()) == ["Olive Outsider"]


@pytest.mark.parametrize("count", [1, 3])
def test_a_person_page_runs_the_same_queries_whatever_the_number_of_rows(
    count: int, signed_in: Callable[[User], Client], viewer: User, django_assert_num_queries: Callable
) -> None:
    person = viewer.person
    for index, slug in enumerate(["statistics", "ml-ops", "reporting"][:count]):
        SkillRatingFactory(person=person, skill=skill(slug))
        CertificationFactory(person=person, kind=certification_type(["privacy-hipaa", "hl7-fhir", "cloud-ml"][index]))
        AssignmentFactory(person=person)
    client = signed_in(viewer)

    # session, user, the user's groups, the person with profession and team, their ratings,
    # their profession's spectrum, the skill catalogue, certifications, assignments (the load chart
    # reuses them), the assignment changes, the rating changes, the absences, the absence changes
    with django_assert_num_queries(13):
        response = client.get(reverse("person_detail", args=[person.pk]))

    assert len(response.context["assignments"]) == count
