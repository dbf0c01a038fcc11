"""Proposing, confirming, changing and releasing people on a slot, and the suggested team."""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from people.models import Person
from projects.models import Assignment, AssignmentChange, AssignmentStatus, Phase, Project, RoleSlot
from tests.builders import build_candidate, build_project_with_tasks, build_slot, day, messages_of, page_text
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

FEB = (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
REFUSAL = "Ada Byrne would be booked at 1.10 FTE on 1 Feb 2027, above their capacity of 1.00 FTE."


@pytest.fixture
def project() -> Project:
    return build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)


@pytest.fixture
def slot(project: Project) -> RoleSlot:
    return build_slot(project, title="Modeller", fte=Decimal("0.80"), unfilled_fte=Decimal("0.80"))


@pytest.fixture
def ada(project: Project) -> Person:
    """Near capacity: confirmed at 0.60 FTE through February on another slot of the project."""
    person = build_candidate("Ada Byrne", ratings={"statistics": 4})
    AssignmentFactory(
        person=person, slot=build_slot(project), starts_on=FEB[0], ends_on=FEB[1], allocation=Decimal("0.60")
    )
    return person


@pytest.fixture
def manager_client(signed_in: Callable[[User], Client], manager: User) -> Client:
    return signed_in(manager)


def assign(client: Client, slot: RoleSlot, person: Person, *, follow: bool = False, **fields: object) -> object:
    data = {
        "person": person.pk,
        "starts_on": "2027-01-04",
        "ends_on": "2027-06-30",
        "allocation": "0.50",
        "status": "tentative",
        "back": "available_only=on&page=2&evil=1",
    }
    return client.post(reverse("assignment_add", args=[slot.project_id, slot.pk]), data | fields, follow=follow)


def on_slot(slot: RoleSlot) -> list[tuple[str, str, str]]:
    return [(a.person.name, a.status, str(a.allocation)) for a in slot.assignments.select_related("person")]


def test_proposing_a_candidate_adds_a_tentative_assignment_and_keeps_the_filters(
    manager_client: Client, slot: RoleSlot, ada: Person
) -> None:
    response = assign(manager_client, slot, ada)

    url = reverse("slot_detail", args=[slot.project_id, slot.pk])
    proposed = slot.assignments.get()
    # Back to the filtered page, at the new assignment's row.
    assertRedirects(response, f"{url}?available_only=on&page=2#assignment-{proposed.pk}", fetch_redirect_response=False)
    assert messages_of(response) == ["Proposed Ada Byrne for “Modeller” at 0.50 FTE (tentative)."]
    assert on_slot(slot) == [("Ada Byrne", "tentative", "0.50")]


def test_a_tentative_assignment_may_go_over_capacity_and_the_slot_page_warns(
    manager_client: Client, slot: RoleSlot, ada: Person
) -> None:
    response = assign(manager_client, slot, ada, follow=True)

    assert on_slot(slot) == [("Ada Byrne", "tentative", "0.50")]
    assert f"Over capacity if confirmed: {REFUSAL}" in page_text(response.content)


def test_confirming_over_capacity_shows_the_refusal_and_changes_nothing(
    manager_client: Client, slot: RoleSlot, ada: Person
) -> None:
    response = assign(manager_client, slot, ada, status="confirmed", follow=True)

    assert REFUSAL in page_text(response.content)
    assert f'<li class="message message--error">{REFUSAL}</li>' in response.content.decode()
    assert on_slot(slot) == []
    assert not AssignmentChange.objects.exists()


def test_confirming_within_capacity_fills_the_slot(manager_client: Client, slot: RoleSlot, ada: Person) -> None:
    response = assign(manager_client, slot, ada, status="confirmed", allocation="0.40")

    assert messages_of(response) == ["Confirmed Ada Byrne for “Modeller” at 0.40 FTE."]
    assert on_slot(slot) == [("Ada Byrne", "confirmed", "0.40")]
    slot.refresh_from_db()
    assert slot.unfilled_fte == Decimal("0.40")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"allocation": "0.90"}, {"allocation": ["Must be between 0.01 and the slot's 0.80 FTE."]}),
        ({"allocation": "much"}, {"allocation": ["Enter a number."]}),
        (
            {"starts_on": "2026-12-01"},
            {"starts_on": ["Must lie within the slot's dates, 4 Jan 2027 to 30 Jun 2027."]},
        ),
        (
            {"ends_on": "2027-01-01", "starts_on": "2027-02-01"},
            {
                "ends_on": [
                    "The assignment cannot end before it starts.",
                    "Must lie within the slot's dates, 4 Jan 2027 to 30 Jun 2027.",
                ]
            },
        ),
        ({"ends_on": ""}, {"ends_on": ["This field is required."]}),
    ],
)
def test_bad_assignment_input_shows_the_form_with_errors_and_saves_nothing(
    fields: dict[str, object], errors: dict[str, list[str]], manager_client: Client, slot: RoleSlot, ada: Person
) -> None:
    response = assign(manager_client, slot, ada, **fields)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Assign Ada Byrne"]
    assert "Nothing was saved: check the form" in html
    assert '<input type="hidden" name="back" value="available_only=on&amp;page=2&amp;evil=1">' in html
    assert on_slot(slot) == []


def test_the_assign_page_offers_the_slots_defaults(manager_client: Client, slot: RoleSlot, ada: Person) -> None:
    html = manager_client.get(
        reverse("assignment_add", args=[slot.project_id, slot.pk]), {"person": ada.pk, "status": "confirmed"}
    ).content.decode()

    assert '<label for="id_starts_on">From</label>' in html
    assert 'name="starts_on" value="2027-01-04"' in html
    assert 'name="ends_on" value="2027-06-30"' in html
    assert 'name="allocation" value="0.80"' in html
    assert re.search(r'value="confirmed"[^>]*checked', html)


def test_confirming_a_tentative_assignment_and_the_refusal_when_over_capacity(
    manager_client: Client, slot: RoleSlot, ada: Person
) -> None:
    within = AssignmentFactory(
        slot=slot, person=build_candidate("Ben Free"), status=AssignmentStatus.TENTATIVE, allocation=Decimal("0.30")
    )
    over = AssignmentFactory(slot=slot, person=ada, status=AssignmentStatus.TENTATIVE, allocation=Decimal("0.50"))

    confirmed = manager_client.post(reverse("assignment_confirm", args=[slot.project_id, slot.pk, within.pk]))
    refused = manager_client.post(reverse("assignment_confirm", args=[slot.project_id, slot.pk, over.pk]))

    url = reverse("slot_detail", args=[slot.project_id, slot.pk])
    assert (confirmed.url, refused.url) == (f"{url}#assignment-{within.pk}", f"{url}#assignment-{over.pk}")
    assert messages_of(confirmed) == ["Confirmed Ben Free for “Modeller”."]
    assert messages_of(refused)[-1] == REFUSAL
    assert sorted(on_slot(slot)) == [("Ada Byrne", "tentative", "0.50"), ("Ben Free", "confirmed", "0.30")]
    assert manager_client.get(reverse("assignment_confirm", args=[slot.project_id, slot.pk, over.pk])).status_code == (
        405
    )


def test_changing_dates_and_allocation(manager_client: Client, slot: RoleSlot, ada: Person) -> None:
    assignment = AssignmentFactory(slot=slot, person=ada, status=AssignmentStatus.TENTATIVE)
    url = reverse("assignment_change", args=[slot.project_id, slot.pk, assignment.pk])

    page = manager_client.get(url).content.decode()
    response = manager_client.post(url, {"starts_on": "2027-03-01", "ends_on": "2027-04-30", "allocation": "0.25"})

    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Change Ada Byrne’s assignment"]
    assert 'name="allocation" value="0.50"' in page
    assert messages_of(response) == ["Saved Ada Byrne’s assignment."]
    assignment.refresh_from_db()
    assert (assignment.starts_on, assignment.ends_on, assignment.allocation) == (
        day("2027-03-01"),
        day("2027-04-30"),
        Decimal("0.25"),
    )
    assert AssignmentChange.objects.get().after["allocation"] == "0.25"


def test_raising_a_confirmed_allocation_over_capacity_is_refused_on_the_form(
    manager_client: Client, slot: RoleSlot, ada: Person
) -> None:
    assignment = AssignmentFactory(slot=slot, person=ada, allocation=Decimal("0.40"), starts_on=FEB[0], ends_on=FEB[1])
    url = reverse("assignment_change", args=[slot.project_id, slot.pk, assignment.pk])

    response = manager_client.post(url, {"starts_on": "2027-02-01", "ends_on": "2027-02-28", "allocation": "0.50"})

    assert response.context["form"].non_field_errors() == [REFUSAL]
    assert REFUSAL in page_text(response.content)
    assignment.refresh_from_db()
    assert assignment.allocation == Decimal("0.40")


def test_changing_with_bad_dates_shows_field_errors(manager_client: Client, slot: RoleSlot, ada: Person) -> None:
    assignment = AssignmentFactory(slot=slot, person=ada, status=AssignmentStatus.TENTATIVE)
    url = reverse("assignment_change", args=[slot.project_id, slot.pk, assignment.pk])

    response = manager_client.post(url, {"starts_on": "2027-03-01", "ends_on": "2027-07-31", "allocation": "0.50"})

    assert response.context["form"].errors == {
        "ends_on": ["Must lie within the slot's dates, 4 Jan 2027 to 30 Jun 2027."]
    }
    assignment.refresh_from_db()
    assert assignment.ends_on == day("2027-06-30")


def test_releasing_asks_first_then_removes_the_assignment(manager_client: Client, slot: RoleSlot, ada: Person) -> None:
    assignment = AssignmentFactory(slot=slot, person=ada, status=AssignmentStatus.TENTATIVE)
    url = reverse("assignment_release", args=[slot.project_id, slot.pk, assignment.pk])

    page = manager_client.get(url)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    response = manager_client.post(url)

    assert re.findall(r"<h1>(.*?)</h1>", page.content.decode()) == ["Release Ada Byrne from “Modeller”?"]
    assert "Ada Byrne is tentative on this slot at 0.50 FTE from 4 Jan 2027 to 30 Jun 2027." in page_text(page.content)
    assert messages_of(response) == ["Released Ada Byrne from “Modeller”."]
    assert on_slot(slot) == []
    assert AssignmentChange.objects.get().action == "released"


# --- The suggested team --------------------------------------------------------------------------


@pytest.fixture
def team_slots(project: Project) -> list[RoleSlot]:
    return [
        build_slot(project, title="Modeller", requirements={"statistics": 4}),
        build_slot(project, title="Engineer", requirements={"databases": 4}, fte=Decimal("0.50")),
    ]


@pytest.fixture
def team(team_slots: list[RoleSlot]) -> dict[str, Person]:
    return {
        "stats": build_candidate("Sam Stats", ratings={"statistics": 4}),
        "data": build_candidate("Dee Data", ratings={"databases": 4}),
    }


def test_a_manager_asks_for_a_suggested_team_and_sees_it_beside_the_baseline(
    manager_client: Client, project: Project, team_slots: list[RoleSlot], team: dict[str, Person]
) -> None:
    response = manager_client.post(reverse("team_suggestion", args=[project.pk]), follow=True)
    html = response.content.decode()
    text = page_text(html)

    assert response.redirect_chain == [(reverse("team_suggestion", args=[project.pk]) + "?show=1", 302)]
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Suggested team for Chest x-ray screening"]
    assert "Best combined fit 1.50 Picking slot by slot would give 1.50 Slots filled 2 of 2" in text
    assert "Σ" not in text
    assert "baseline" not in text
    assert "Modeller Sam Stats 100% Fit 100% of a perfect fit 1.00 4 Jan 2027 to 30 Jun 2027" in text
    assert "Engineer Dee Data 100% Fit 100% of a perfect fit 0.50 4 Jan 2027 to 30 Jun 2027" in text
    modeller, engineer = team_slots
    assert f'<input type="hidden" name="pick" value="{modeller.pk}:{team["stats"].pk}">' in html
    assert f'<input type="hidden" name="pick" value="{engineer.pk}:{team["data"].pk}">' in html
    assert "Apply as tentative assignments</button>" in html
    assert not Assignment.objects.exists()


def test_applying_the_suggestion_proposes_everyone_as_tentative(
    manager_client: Client, project: Project, team_slots: list[RoleSlot], team: dict[str, Person]
) -> None:
    modeller, engineer = team_slots
    picks = [f"{modeller.pk}:{team['stats'].pk}", f"{engineer.pk}:{team['data'].pk}"]

    response = manager_client.post(reverse("team_apply", args=[project.pk]), {"pick": picks})

    assertRedirects(response, reverse("project_detail", args=[project.pk]), fetch_redirect_response=False)
    assert messages_of(response) == ["Proposed 2 people as tentative assignments."]
    assert sorted(Assignment.objects.values_list("person__name", "status", "allocation")) == [
        ("Dee Data", "tentative", Decimal("0.50")),
        ("Sam Stats", "tentative", Decimal("1.00")),
    ]


def test_a_stale_suggestion_is_refused_whole(
    manager_client: Client, project: Project, team_slots: list[RoleSlot], team: dict[str, Person]
) -> None:
    modeller, engineer = team_slots
    RoleSlot.objects.filter(pk=engineer.pk).update(closed_at=dt.datetime(2027, 1, 5, tzinfo=dt.UTC))
    picks = [f"{modeller.pk}:{team['stats'].pk}", f"{engineer.pk}:{team['data'].pk}"]

    response = manager_client.post(reverse("team_apply", args=[project.pk]), {"pick": picks})

    assert messages_of(response) == ["Engineer is closed; ask for a new suggestion."]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("picks", "message"),
    [
        (["12:x"], "The suggestion was damaged in transit; ask for a new one."),
        ([], "The suggestion proposes nobody, so there is nothing to apply."),
    ],
)
def test_a_damaged_or_empty_suggestion_changes_nothing(
    picks: list[str], message: str, manager_client: Client, project: Project
) -> None:
    response = manager_client.post(reverse("team_apply", args=[project.pk]), {"pick": picks})

    assert messages_of(response) == [message]
    assert not Assignment.objects.exists()


def test_a_project_without_open_slots_suggests_nobody(manager_client: Client, project: Project) -> None:
    text = page_text(manager_client.post(reverse("team_suggestion", args=[project.pk]), follow=True).content)

    assert "The project has no open slots with unfilled FTE." in text
    assert "Apply as tentative assignments" not in text
