import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from projects.models import RoleSlot
from tests.conftest import API
from tests.factories import (
    AssignmentFactory,
    CertificationFactory,
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    certification_type,
    skill,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot() -> RoleSlot:
    """Needs statistics 4 (weight 1) and ML Ops 2 (weight 3); Σ w·r = 10."""
    slot = RoleSlotFactory(fte=Decimal("0.50"))
    SlotRequirementFactory(slot=slot, skill=skill("statistics"), level=4, weight=Decimal("1"))
    SlotRequirementFactory(slot=slot, skill=skill("ml-ops"), level=2, weight=Decimal("3"))
    return slot


def rate(person, **levels: int) -> None:
    for slug, level in levels.items():
        SkillRatingFactory(person=person, skill=skill(slug.replace("_", "-")), level=level)


def test_candidates_come_in_ranking_order_with_fit_free_capacity_and_shortfall(
    manager_api: APIClient, slot: RoleSlot
) -> None:
    ada = PersonFactory(name="Ada")
    rate(ada, statistics=4, ml_ops=2)  # perfect
    bo = PersonFactory(name="Bo", capacity_fte=Decimal("0.80"))
    rate(bo, statistics=2, ml_ops=1)  # shortfall 2·1 + 1·3 = 5 → fit 0.5
    AssignmentFactory(person=bo, allocation=Decimal("0.30"))  # confirmed: free 0.50

    response = manager_api.get(API + f"slots/{slot.pk}/candidates/?page_size=2")

    assert response.status_code == 200
    body = response.json()
    assert body["results"] == [
        {"person": ada.pk, "name": "Ada", "fit": 1.0, "free_fte": 1.0, "eligible": True, "reasons": [],
         "shortfall": {}},
        {"person": bo.pk, "name": "Bo", "fit": 0.5, "free_fte": 0.5, "eligible": True, "reasons": [],
         "shortfall": {"statistics": 2, "ml-ops": 1}},
    ]  # fmt: skip
    assert body["count"] == 2


def test_a_missing_certification_ranks_a_perfect_fit_last_with_the_reason(
    manager_api: APIClient, slot: RoleSlot
) -> None:
    slot.certifications.add(certification_type("privacy-hipaa"))
    certified, uncertified = PersonFactory(name="Certified"), PersonFactory(name="Uncertified")
    rate(uncertified, statistics=5, ml_ops=5)
    CertificationFactory(person=certified, obtained_on=dt.date(2026, 1, 1))

    results = manager_api.get(API + f"slots/{slot.pk}/candidates/").json()["results"]

    assert [(r["name"], r["fit"], r["eligible"], r["reasons"]) for r in results] == [
        ("Certified", 0.0, True, []),
        ("Uncertified", 1.0, False, ["No valid Patient privacy and HIPAA training on every day of the slot"]),
    ]


def test_available_only_leaves_out_people_who_are_fully_booked(manager_api: APIClient, slot: RoleSlot) -> None:
    busy, free = PersonFactory(name="Busy", capacity_fte=Decimal("0.50")), PersonFactory(name="Free")
    AssignmentFactory(person=busy, allocation=Decimal("0.50"))

    results = manager_api.get(API + f"slots/{slot.pk}/candidates/?available_only=1").json()["results"]

    assert [r["person"] for r in results] == [free.pk]


def test_candidates_are_not_for_staff(viewer_api: APIClient, slot: RoleSlot) -> None:
    response = viewer_api.get(API + f"slots/{slot.pk}/candidates/")

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only managers, leads and integrations see candidates."},
    )


def test_bad_candidate_queries_are_400_and_an_unknown_slot_404(manager_api: APIClient, slot: RoleSlot) -> None:
    bad = manager_api.get(API + f"slots/{slot.pk}/candidates/?available_only=perhaps&team=x")
    unknown = manager_api.get(API + f"slots/{slot.pk}/candidates/?profession=astronaut&team={2**70}")
    unknown_slot = manager_api.get(API + "slots/999999/candidates/")

    assert (bad.status_code, bad.json()) == (
        400,
        {"available_only": ["Must be a valid boolean."], "team": ["Incorrect type. Expected pk value, received str."]},
    )
    assert (unknown.status_code, unknown.json()) == (
        400,
        {
            "team": [f"There is no team with the id {2**70}."],
            "profession": ["There is no profession with the slug astronaut."],
        },
    )
    assert unknown_slot.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_candidates_run_the_same_queries_for_one_or_three_people(
    manager_api: APIClient, slot: RoleSlot, django_assert_num_queries, count: int
) -> None:
    for n in range(count):
        rate(PersonFactory(name=f"P{n}"), statistics=n)

    # token and user; the user's groups; the slot; its requirements; its certifications; people;
    # ratings; confirmed assignments (certifications held are read only when the slot requires some)
    with django_assert_num_queries(8):
        response = manager_api.get(API + f"slots/{slot.pk}/candidates/")

    assert response.json()["count"] == count


def test_a_suggested_team_reports_its_objective_beside_greedy(manager_api: APIClient) -> None:
    project = ProjectFactory()
    first = RoleSlotFactory(project=project, fte=Decimal("1.00"))
    second = RoleSlotFactory(project=project, fte=Decimal("0.50"))
    for slot in (first, second):
        SlotRequirementFactory(slot=slot, skill=skill("statistics"), level=4)
    strong, weaker = PersonFactory(name="Strong"), PersonFactory(name="Weaker")
    rate(strong, statistics=4)
    rate(weaker, statistics=2)

    response = manager_api.post(API + f"projects/{project.pk}/suggest-team/")

    assert (response.status_code, response.json()) == (
        200,
        {
            "slots": [
                {"slot": first.pk, "person": strong.pk, "fit": 1.0},
                {"slot": second.pk, "person": weaker.pk, "fit": 0.5},
            ],
            "objective": 1.25,
            "greedy_objective": 1.25,
            "left_out": [],
        },
    )


def test_a_slot_already_proposed_is_left_out_unless_reconsidered(manager_api: APIClient) -> None:
    project = ProjectFactory()
    proposed = RoleSlotFactory(project=project, fte=Decimal("0.60"))
    open_slot = RoleSlotFactory(project=project, fte=Decimal("0.50"))
    for slot in (proposed, open_slot):
        SlotRequirementFactory(slot=slot, skill=skill("statistics"), level=4)
    strong, weaker = PersonFactory(name="Strong"), PersonFactory(name="Weaker")
    rate(strong, statistics=4)
    rate(weaker, statistics=2)
    AssignmentFactory(slot=proposed, person=weaker, allocation=Decimal("0.60"), status="tentative")

    default = manager_api.post(API + f"projects/{project.pk}/suggest-team/", {}, format="json")
    reconsidered = manager_api.post(
        API + f"projects/{project.pk}/suggest-team/", {"reconsider_proposed": True}, format="json"
    )

    assert (default.status_code, default.json()) == (
        200,
        {
            "slots": [{"slot": open_slot.pk, "person": strong.pk, "fit": 1.0}],
            "objective": 0.5,
            "greedy_objective": 0.5,
            "left_out": [proposed.pk],
        },
    )
    assert reconsidered.status_code == 200
    assert reconsidered.json()["left_out"] == []
    assert [pick["slot"] for pick in reconsidered.json()["slots"]] == [proposed.pk, open_slot.pk]


def test_reconsider_proposed_must_be_a_boolean(manager_api: APIClient) -> None:
    response = manager_api.post(
        API + f"projects/{ProjectFactory().pk}/suggest-team/", {"reconsider_proposed": "often"}, format="json"
    )

    assert (response.status_code, response.json()) == (400, {"reconsider_proposed": ["Must be a valid boolean."]})


def test_only_managers_ask_for_a_suggested_team(lead_api: APIClient) -> None:
    response = lead_api.post(API + f"projects/{ProjectFactory().pk}/suggest-team/")

    assert (response.status_code, response.json()) == (403, {"detail": "Only managers ask for a suggested team."})
