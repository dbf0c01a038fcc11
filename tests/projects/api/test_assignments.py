import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from projects.models import Assignment, AssignmentChange
from tests.conftest import API
from tests.factories import AssignmentFactory, PersonFactory, ProjectFactory, RoleSlotFactory

pytestmark = pytest.mark.django_db


def as_json(assignment: Assignment) -> dict:
    assignment.refresh_from_db()
    return {
        "id": assignment.pk,
        "person": assignment.person_id,
        "slot": assignment.slot_id,
        "project": assignment.slot.project_id,
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": assignment.ends_on.isoformat(),
        "allocation": float(assignment.allocation),
        "status": assignment.status,
        "updated_at": assignment.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_a_manager_proposes_then_confirms_an_assignment(manager_api: APIClient) -> None:
    slot = RoleSlotFactory(fte=Decimal("0.50"))
    person = PersonFactory()

    proposed = manager_api.post(
        API + "assignments/", {"person": person.pk, "slot": slot.pk, "allocation": 0.5}, format="json"
    )
    assignment = Assignment.objects.get()
    confirmed = manager_api.patch(API + f"assignments/{assignment.pk}/", {"status": "confirmed"}, format="json")

    assert (proposed.status_code, proposed.json()["status"]) == (201, "tentative")
    assert (confirmed.status_code, confirmed.json()) == (200, as_json(assignment))
    assert confirmed.json()["status"] == "confirmed"
    assert list(AssignmentChange.objects.order_by("id").values_list("action", flat=True)) == ["created", "updated"]


def test_over_capacity_is_409_with_a_message_and_changes_nothing(manager_api: APIClient) -> None:
    person = PersonFactory(name="Ada Byrne", capacity_fte=Decimal("0.50"))
    AssignmentFactory(person=person, allocation=Decimal("0.40"))
    slot = RoleSlotFactory()

    response = manager_api.post(
        API + "assignments/",
        {"person": person.pk, "slot": slot.pk, "allocation": 0.2, "status": "confirmed"},
        format="json",
    )

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Ada Byrne would be booked at 0.60 FTE on 4 Jan 2027, above their capacity of 0.50 FTE."},
    )
    assert Assignment.objects.filter(slot=slot).count() == 0


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"allocation": 0}, {"allocation": ["Ensure this value is greater than or equal to 0.01."]}),
        ({"allocation": 1.5}, {"allocation": ["Ensure this value is less than or equal to 1.00."]}),
        ({"allocation": "lots"}, {"allocation": ["A valid number is required."]}),
        ({"status": "maybe"}, {"status": ['"maybe" is not a valid choice.']}),
        ({"person": 999999}, {"person": ["There is no person with the id 999999."]}),
        ({"starts_on": "2026-01-01"}, {"starts_on": ["Must lie within the slot's dates, 4 Jan 2027 to 30 Jun 2027."]}),
        ({"starts_on": "2027-03-01", "ends_on": "2027-02-01"},
         {"ends_on": ["The assignment cannot end before it starts."]}),
    ],
)  # fmt: skip
def test_bad_assignment_input_is_400_per_field_and_changes_nothing(
    manager_api: APIClient, change: dict, errors: dict
) -> None:
    slot = RoleSlotFactory(fte=Decimal("1.00"))
    body = {"person": PersonFactory().pk, "slot": slot.pk, "allocation": 0.5} | change

    response = manager_api.post(API + "assignments/", body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert (Assignment.objects.count(), AssignmentChange.objects.count()) == (0, 0)


def test_releasing_an_assignment_keeps_it_in_the_audit_trail(manager_api: APIClient, manager: User) -> None:
    assignment = AssignmentFactory()

    response = manager_api.delete(API + f"assignments/{assignment.pk}/")

    assert response.status_code == 204
    assert not Assignment.objects.exists()
    change = AssignmentChange.objects.get()
    assert (change.action, change.assignment_id, change.changed_by, change.after) == (
        "released",
        assignment.pk,
        manager,
        None,
    )


def test_staff_see_only_their_own_assignments(viewer_api: APIClient, viewer: User) -> None:
    mine = AssignmentFactory(person=viewer.person)
    AssignmentFactory()

    response = viewer_api.get(API + "assignments/")

    assert response.json()["results"] == [as_json(mine)]


def test_others_assignments_are_404_to_staff_and_403_to_change(viewer_api: APIClient, lead_api: APIClient) -> None:
    other = AssignmentFactory()

    assert viewer_api.get(API + f"assignments/{other.pk}/").status_code == 404
    assert lead_api.patch(API + f"assignments/{other.pk}/", {"allocation": 0.2}, format="json").status_code == 403
    assert lead_api.delete(API + f"assignments/{other.pk}/").status_code == 403
    assert Assignment.objects.filter(pk=other.pk).exists()


def test_filters_by_person_project_phase_and_day(manager_api: APIClient) -> None:
    project = ProjectFactory(starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 12, 31))
    early = RoleSlotFactory(project=project, in_implementation=False, ends_on=dt.date(2027, 3, 31))
    late = RoleSlotFactory(project=project, in_problem_understanding=False, starts_on=dt.date(2027, 4, 1))
    a = AssignmentFactory(slot=early)
    b = AssignmentFactory(slot=late)
    elsewhere = AssignmentFactory()

    def ids(query: str) -> list[int]:
        return [row["id"] for row in manager_api.get(API + "assignments/?" + query).json()["results"]]

    assert ids(f"project={project.pk}") == [a.pk, b.pk]
    assert ids(f"person={elsewhere.person_id}") == [elsewhere.pk]
    assert ids(f"project={project.pk}&phase=implementation") == [b.pk]
    assert ids(f"project={project.pk}&phase=problem-understanding") == [a.pk]
    assert ids(f"project={project.pk}&active_on=2027-05-01") == [b.pk]


def test_updated_since_returns_what_changed_oldest_first(manager_api: APIClient) -> None:
    first, second = AssignmentFactory(), AssignmentFactory()
    cutoff = timezone.now()
    Assignment.objects.filter(pk=second.pk).update(updated_at=cutoff + dt.timedelta(seconds=1))
    Assignment.objects.filter(pk=first.pk).update(updated_at=cutoff + dt.timedelta(seconds=2))

    response = manager_api.get(API + "assignments/", {"updated_since": cutoff.isoformat()})

    assert [row["id"] for row in response.json()["results"]] == [second.pk, first.pk]


def test_a_bad_filter_is_400(manager_api: APIClient) -> None:
    response = manager_api.get(API + "assignments/?updated_since=yesterday&phase=closed")

    assert (response.status_code, response.json()) == (
        400,
        {
            "phase": ["Select a valid choice. closed is not one of the available choices."],
            "updated_since": ["Enter a valid date/time."],
        },
    )


@pytest.mark.parametrize("count", [1, 3])
def test_assignments_list_runs_the_same_queries_for_one_or_three(
    integration_api: APIClient, django_assert_num_queries, count: int
) -> None:
    for _ in range(count):
        AssignmentFactory()

    # token and user; the user's groups; count; the page of assignments joined to their slot
    with django_assert_num_queries(4):
        response = integration_api.get(API + "assignments/")

    assert len(response.json()["results"]) == count


def test_the_changes_feed_tells_an_integration_about_a_release(
    manager_api: APIClient, integration_api: APIClient, manager: User
) -> None:
    slot = RoleSlotFactory(fte=Decimal("0.50"))
    person = PersonFactory()
    since = timezone.now()
    created = manager_api.post(
        API + "assignments/", {"person": person.pk, "slot": slot.pk, "allocation": 0.5}, format="json"
    ).json()
    manager_api.delete(API + f"assignments/{created['id']}/")

    response = integration_api.get(API + "assignment-changes/", {"since": since.isoformat()})

    rows = response.json()["results"]
    assert [(row["assignment"], row["action"], row["person"], row["project"], row["by"]) for row in rows] == [
        (created["id"], "created", person.pk, slot.project_id, "manager"),
        (created["id"], "released", person.pk, slot.project_id, "manager"),
    ]
    assert (rows[0]["before"], rows[1]["after"]) == (None, None)
    assert rows[1]["before"]["allocation"] == "0.50"


def test_staff_read_only_the_changes_to_their_own_assignments(
    manager_api: APIClient, viewer_api: APIClient, viewer: User
) -> None:
    for person in (viewer.person, PersonFactory()):
        manager_api.post(
            API + "assignments/", {"person": person.pk, "slot": RoleSlotFactory().pk, "allocation": 0.5}, format="json"
        )

    rows = viewer_api.get(API + "assignment-changes/").json()["results"]

    assert [row["person"] for row in rows] == [viewer.person.pk]


@pytest.mark.parametrize("count", [1, 3])
def test_the_changes_feed_runs_the_same_queries_for_one_or_three(
    manager_api: APIClient, integration_api: APIClient, django_assert_num_queries, count: int
) -> None:
    for _ in range(count):
        manager_api.post(
            API + "assignments/",
            {"person": PersonFactory().pk, "slot": RoleSlotFactory().pk, "allocation": 0.5},
            format="json",
        )

    # token and user; the user's groups; count; the page of changes joined to their author
    with django_assert_num_queries(4):
        response = integration_api.get(API + "assignment-changes/")

    assert response.json()["count"] == count


@pytest.mark.parametrize("path", ["assignments/", "assignment-changes/"])
def test_a_person_filter_answers_the_same_for_an_unknown_and_an_invisible_person(
    viewer_api: APIClient, path: str
) -> None:
    # An answer that told "no such person" from "nobody you may see" would reveal who exists.
    hidden = AssignmentFactory()

    unknown = viewer_api.get(API + f"{path}?person=999999")
    invisible = viewer_api.get(API + f"{path}?person={hidden.person_id}")

    empty = {"count": 0, "next": None, "previous": None, "results": []}
    assert (unknown.status_code, unknown.json()) == (200, empty)
    assert (invisible.status_code, invisible.json()) == (200, empty)


@pytest.mark.parametrize("path", ["assignments/", "assignment-changes/"])
def test_a_person_filter_that_is_not_a_number_is_bad_input(manager_api: APIClient, path: str) -> None:
    response = manager_api.get(API + f"{path}?person=ada")

    assert (response.status_code, response.json()) == (400, {"person": ["Enter a whole number."]})
