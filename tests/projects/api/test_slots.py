import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from projects.models import RoleSlot, SlotRequirement
from tests.conftest import API
from tests.factories import AssignmentFactory, ProjectFactory, RoleSlotFactory, SlotRequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(name="Chest x-ray", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 6, 30))


def test_a_manager_opens_a_slot_from_the_spectrum_with_changes(manager_api: APIClient, project) -> None:
    response = manager_api.post(
        API + "slots/",
        {
            "project": project.pk,
            "profession": "ml-engineer",
            "phases": ["implementation"],
            "fte": 0.5,
            "starts_on": "2027-03-01",
            "requirements": {"deployment": {"level": 5, "weight": 2}, "storytelling": {"level": 0}},
            "certifications": ["privacy-hipaa"],
        },
        format="json",
    )

    slot = RoleSlot.objects.get()
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": slot.pk,
            "project": project.pk,
            "profession": "ml-engineer",
            "title": "",
            "phases": ["implementation"],
            "fte": 0.5,
            "starts_on": "2027-03-01",
            "ends_on": "2027-06-30",
            "requirements": {
                "statistics": {"level": 2, "weight": 1.0},
                "ml-modelling": {"level": 4, "weight": 1.0},
                "research": {"level": 2, "weight": 1.0},
                "experimentation": {"level": 2, "weight": 1.0},
                "databases": {"level": 3, "weight": 1.0},
                "data-pipelines": {"level": 3, "weight": 1.0},
                "deployment": {"level": 5, "weight": 2.0},
                "ml-ops": {"level": 4, "weight": 1.0},
                "data-visualisation": {"level": 1, "weight": 1.0},
                "business-insights": {"level": 1, "weight": 1.0},
                "reporting": {"level": 2, "weight": 1.0},
            },
            "certifications": ["privacy-hipaa"],
            "unfilled_fte": 0.5,
            "overfilled": False,
            "closed_at": None,
        },
    )


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"fte": 0}, {"fte": ["Ensure this value is greater than or equal to 0.10."]}),
        ({"fte": 1.5}, {"fte": ["Ensure this value is less than or equal to 1.00."]}),
        ({"phases": []}, {"phases": ["This list may not be empty."]}),
        ({"phases": ["triage"]}, {"phases": {"0": ['"triage" is not a valid choice.']}}),
        ({"profession": "astronaut"}, {"profession": ["There is no profession with the slug astronaut."]}),
        ({"ends_on": "2027-01-01"}, {"ends_on": ["The slot cannot end before it starts."]}),
        ({"ends_on": "2027-09-01"}, {"ends_on": ["Must lie within the project's dates, 4 Jan 2027 to 30 Jun 2027."]}),
        ({"requirements": {"statistics": {"level": 6}}},
         {"requirements": ["statistics: level must be 0–5 and weight 0–5."]}),
        ({"requirements": {"statistics": {"level": "high"}}},
         {"requirements": ["statistics: give an integer level and, optionally, a numeric weight."]}),
        ({"requirements": {"statistics": {"level": True}}},
         {"requirements": ["statistics: give an integer level and, optionally, a numeric weight."]}),
        ({"requirements": {"astrology": {"level": 3}}}, {"requirements": ["astrology: unknown skill."]}),
        ({"requirements": {"statistics": {"level": 3, "weight": 9}}},
         {"requirements": ["statistics: level must be 0–5 and weight 0–5."]}),
        ({"certifications": ["juggling"]}, {"certifications": ["Unknown certification: juggling."]}),
        ({"requirements": ["statistics"]},
         {"requirements": ['Send an object of skill slugs, e.g. {"statistics": {"level": 3, "weight": 1}}.']}),
    ],
)  # fmt: skip
def test_bad_slot_input_is_400_per_field_and_creates_nothing(
    manager_api: APIClient, project, change: dict, errors: dict
) -> None:
    body = {"project": project.pk, "profession": "data-analyst", "phases": ["implementation"], "fte": 0.5,
            "starts_on": "2027-02-01"} | change  # fmt: skip

    response = manager_api.post(API + "slots/", body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert (RoleSlot.objects.count(), SlotRequirement.objects.count()) == (0, 0)


def test_malformed_json_is_400_and_a_form_body_is_415(manager_api: APIClient) -> None:
    broken = manager_api.generic("POST", API + "slots/", '{"project": ', content_type="application/json")
    form = manager_api.post(API + "slots/", {"project": 1}, format="multipart")

    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("JSON parse error")
    assert (form.status_code, form.json()) == (
        415,
        {"detail": 'Unsupported media type "multipart/form-data; boundary=BoUnDaRyStRiNg; charset=utf-8" in request.'},
    )
    assert RoleSlot.objects.count() == 0


def test_patching_requirements_replaces_them_and_shows_unfilled(manager_api: APIClient) -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    SlotRequirementFactory(slot=slot)
    AssignmentFactory(slot=slot, allocation=Decimal("0.25"))

    response = manager_api.patch(
        API + f"slots/{slot.pk}/", {"fte": 0.75, "requirements": {"ml-ops": {"level": 3}}}, format="json"
    )

    body = response.json()
    assert (response.status_code, body["requirements"], body["fte"], body["unfilled_fte"]) == (
        200,
        {"ml-ops": {"level": 3, "weight": 1.0}},
        0.75,
        0.5,
    )


def test_closing_a_slot_twice_is_409(manager_api: APIClient) -> None:
    slot = RoleSlotFactory()

    first = manager_api.post(API + f"slots/{slot.pk}/close/")
    second = manager_api.post(API + f"slots/{slot.pk}/close/")

    assert first.status_code == 200
    assert first.json()["closed_at"] is not None
    assert (second.status_code, second.json()) == (409, {"detail": "The slot is already closed."})


def test_only_managers_change_slots(lead_api: APIClient, viewer_api: APIClient) -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))

    answers = [
        client.patch(API + f"slots/{slot.pk}/", {"fte": 0.5}, format="json") for client in (lead_api, viewer_api)
    ]

    assert [a.status_code for a in answers] == [403, 403]
    slot.refresh_from_db()
    assert slot.fte == Decimal("1.00")


@pytest.mark.parametrize("count", [1, 3])
def test_slots_list_runs_the_same_queries_for_one_or_three(
    viewer_api: APIClient, project, django_assert_num_queries, count: int
) -> None:
    for _ in range(count):
        SlotRequirementFactory(slot=RoleSlotFactory(project=project))

    # token and user; the project named in the filter; count; the page of slots with project and
    # profession; their requirements with skills; their certifications
    with django_assert_num_queries(6):
        response = viewer_api.get(API + f"slots/?project={project.pk}")

    assert [slot["requirements"] for slot in response.json()["results"]] == [
        {"statistics": {"level": 3, "weight": 1.0}}
    ] * count
