"""Opening, editing and closing role slots from the project page."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from projects.forms import SlotForm, add_service_errors
from projects.models import Assignment, AssignmentChange, AssignmentStatus, Phase, Project, RoleSlot
from skills.selectors import list_skills
from tests.builders import build_project_with_tasks, build_slot, day, messages_of, page_text
from tests.factories import AssignmentFactory, PersonFactory, certification_type

pytestmark = pytest.mark.django_db

SKILLS = [
    "statistics",
    "ml-modelling",
    "research",
    "experimentation",
    "databases",
    "data-pipelines",
    "deployment",
    "ml-ops",
    "data-visualisation",
    "business-insights",
    "reporting",
    "storytelling",
]
DATA_ENGINEER = [2, 2, 2, 2, 4, 4, 3, 3, 2, 2, 2, 2]


@pytest.fixture
def project() -> Project:
    return build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)


@pytest.fixture
def manager_client(signed_in: Callable[[User], Client], manager: User) -> Client:
    return signed_in(manager)


def slot_fields(**changes: object) -> dict[str, object]:
    """A complete, valid slot form: a data engineer at 0.5 FTE needing databases 4 (weight 2) only."""
    fields: dict[str, object] = {
        "profession": "data-engineer",
        "title": "Pipeline builder",
        "phases": ["data-understanding", "implementation"],
        "fte": "0.50",
        "starts_on": "2027-02-01",
        "ends_on": "2027-05-31",
        "certifications": ["privacy-hipaa"],
    }
    for slug in SKILLS:
        fields[f"level_{slug}"] = "0"
        fields[f"weight_{slug}"] = "1"
    fields |= {"level_databases": "4", "weight_databases": "2"}
    return fields | changes


def chosen_levels(html: str) -> list[int]:
    """The selected level of each requirement row, in catalogue order."""
    rows = re.findall(r'<select name="level_[\w-]+"[^>]*>(.*?)</select>', html, flags=re.S)
    return [int(re.search(r'<option value="(\d)" selected>', row).group(1)) for row in rows]  # type: ignore[union-attr]


def test_the_new_slot_form_starts_from_the_first_professions_spectrum_and_the_projects_dates(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    response = signed_in(manager).get(reverse("slot_create", args=[project.pk]))
    html = response.content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", html) == ["New role slot"]
    assert chosen_levels(html) == [4, 4, 4, 4, 2, 2, 2, 2, 3, 3, 3, 3]  # the data scientist's spectrum
    assert '<option value="data-scientist" selected>Data scientist</option>' in html
    assert 'name="starts_on" value="2027-01-04"' in html
    assert 'name="ends_on" value="2027-06-30"' in html
    assert 'value="data-understanding" id="id_phases_1" checked' in html  # the project's current phase
    assert '<label for="id_fte">FTE</label>' in html
    assert '<label class="visually-hidden" for="id_level_statistics">Level required in Statistics</label>' in html
    assert '<label class="visually-hidden" for="id_weight_statistics">Weight of Statistics</label>' in html
    assert "<legend>Needed in phases</legend>" in html
    assert "<legend>Required certifications</legend>" in html
    assert "Patient privacy and HIPAA training" in html


def test_changing_the_profession_reloads_the_requirements_with_htmx(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    client = signed_in(manager)
    page = client.get(reverse("slot_create", args=[project.pk])).content.decode()

    response = client.get(
        reverse("slot_requirements", args=[project.pk]), {"profession": "data-engineer"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()

    assert f'hx-get="/projects/{project.pk}/slots/requirements/" hx-trigger="change"' in page
    assert 'hx-include="#id_profession" hx-target="#requirements" hx-swap="outerHTML"' in page
    assert "<html" not in html
    assert '<div id="requirements" class="table-wrap"' in html
    assert chosen_levels(html) == DATA_ENGINEER
    assert '<p id="requirements-status" hx-swap-oob="innerHTML">' in html
    assert "Levels filled in from the Data engineer spectrum; weights set to 1." in page_text(html)


def test_without_javascript_a_button_reloads_the_levels_and_keeps_what_was_typed(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    client = signed_in(manager)
    page = client.get(reverse("slot_create", args=[project.pk])).content.decode()

    response = client.post(reverse("slot_create", args=[project.pk]), slot_fields(reload="1", fte="0.8"))
    html = response.content.decode()

    assert "<noscript>" in page
    assert 'name="reload" value="1"' in page
    assert response.status_code == 200
    assert not RoleSlot.objects.exists()
    assert chosen_levels(html) == DATA_ENGINEER
    assert 'value="Pipeline builder"' in html
    assert 'name="fte" value="0.8"' in html
    assert "Nothing was saved" not in html  # reloading is not an error


def test_a_manager_opens_a_slot_with_its_requirements_and_certifications(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    response = signed_in(manager).post(reverse("slot_create", args=[project.pk]), slot_fields())

    slot = RoleSlot.objects.get()
    assertRedirects(response, reverse("slot_detail", args=[project.pk, slot.pk]), fetch_redirect_response=False)
    assert messages_of(response) == ["Opened the slot “Pipeline builder”."]
    assert (slot.profession.slug, slot.title, slot.phases, slot.fte, slot.unfilled_fte) == (
        "data-engineer",
        "Pipeline builder",
        ["data-understanding", "implementation"],
        Decimal("0.50"),
        Decimal("0.50"),
    )
    assert (slot.starts_on, slot.ends_on) == (day("2027-02-01"), day("2027-05-31"))
    assert [(r.skill.slug, r.level, r.weight) for r in slot.requirements.all()] == [("databases", 4, Decimal("2"))]
    assert [kind.slug for kind in slot.certifications.all()] == ["privacy-hipaa"]


def test_empty_dates_default_to_the_projects(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    signed_in(manager).post(reverse("slot_create", args=[project.pk]), slot_fields(starts_on="", ends_on=""))

    slot = RoleSlot.objects.get()
    assert (slot.starts_on, slot.ends_on) == (project.starts_on, project.ends_on)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"fte": "1.50"}, "fte", "Must be between 0.10 and 1.00."),
        ({"fte": "lots"}, "fte", "Enter a number."),
        ({"phases": []}, "phases", "Choose at least one phase."),
        ({"starts_on": "2026-12-01"}, "starts_on", "Must lie within the project's dates, 4 Jan 2027 to 30 Jun 2027."),
        ({"ends_on": "2027-01-31", "starts_on": "2027-03-01"}, "ends_on", "The slot cannot end before it starts."),
        ({"weight_databases": "7"}, "weight_databases", "Ensure this value is less than or equal to 5."),
        ({"level_databases": "9"}, "level_databases", "Select a valid choice. 9 is not one of the available choices."),
    ],
)
def test_bad_input_shows_an_error_beside_its_field_and_saves_nothing(
    changes: dict[str, object], field: str, message: str, manager_client: Client, project: Project
) -> None:
    response = manager_client.post(reverse("slot_create", args=[project.pk]), slot_fields(**changes))
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert f'<p class="field__error" id="id_{field}_error"><span class="visually-hidden">Error: </span>{message}' in (
        html.replace("&#x27;", "'")
    )
    assert "Nothing was saved: check the form" in html
    assert 'aria-invalid="true"' in html
    assert not RoleSlot.objects.exists()


def test_a_requirement_refused_by_the_service_lands_on_its_skill() -> None:
    form = SlotForm(data={}, skills=list(list_skills()))
    form.is_valid()
    form.errors.clear()
    add_service_errors(
        form,
        ValidationError({"requirements": ["statistics: level must be 0–5 and weight 0–5."], "nonsense": ["Odd."]}),
    )

    assert form.errors == {
        "level_statistics": ["Level must be 0–5 and weight 0–5."],
        forms.forms.NON_FIELD_ERRORS: ["Odd."],
    }


def test_the_edit_form_shows_the_slot_as_it_is(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    slot = build_slot(project, title="Modeller", requirements={"statistics": 4, "reporting": 2})
    slot.certifications.add(certification_type("hl7-fhir"))

    html = signed_in(manager).get(reverse("slot_edit", args=[project.pk, slot.pk])).content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Edit the slot “Modeller”"]
    assert 'name="profession"' not in html
    assert "<dt>Profession</dt><dd>Data scientist</dd>" in html
    assert chosen_levels(html) == [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]
    assert re.findall(r'name="certifications" value="([\w-]+)"[^>]*checked', html) == ["hl7-fhir"]
    assert 'name="title" value="Modeller"' in html


def test_a_manager_changes_a_slots_requirements_and_phases(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    slot = build_slot(project, title="Modeller")

    response = signed_in(manager).post(
        reverse("slot_edit", args=[project.pk, slot.pk]),
        slot_fields(title="Senior modeller", phases=["implementation"], level_statistics="5", certifications=[]),
    )

    assertRedirects(response, reverse("slot_detail", args=[project.pk, slot.pk]), fetch_redirect_response=False)
    slot.refresh_from_db()
    assert (slot.title, slot.phases, slot.profession.slug) == ("Senior modeller", ["implementation"], "data-scientist")
    assert [(r.skill.slug, r.level, r.weight) for r in slot.requirements.all()] == [
        ("statistics", 5, Decimal("1")),
        ("databases", 4, Decimal("2")),
    ]


def test_new_dates_that_leave_an_assignment_outside_are_refused_on_the_form(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    slot = build_slot(project, title="Modeller")
    AssignmentFactory(slot=slot, starts_on=day("2027-01-04"), ends_on=day("2027-01-31"))

    response = signed_in(manager).post(reverse("slot_edit", args=[project.pk, slot.pk]), slot_fields())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Some assignments fall outside the new dates: change or release them first."
    ]
    assert 'role="alert"' in response.content.decode()
    slot.refresh_from_db()
    assert (slot.title, slot.starts_on) == ("Modeller", project.starts_on)


def test_closing_a_slot_asks_first_then_releases_its_tentative_assignments(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    slot = build_slot(project, title="Modeller")
    AssignmentFactory(slot=slot, person=PersonFactory(name="Kept Confirmed"), status=AssignmentStatus.CONFIRMED)
    AssignmentFactory(slot=slot, person=PersonFactory(name="Only Tentative"), status=AssignmentStatus.TENTATIVE)
    client = signed_in(manager)
    url = reverse("slot_close", args=[project.pk, slot.pk])

    confirm = client.get(url)
    closed = client.post(url)
    again = client.post(url)

    assert re.findall(r"<h1>(.*?)</h1>", confirm.content.decode()) == ["Close the slot “Modeller”?"]
    assert "Its 1 tentative assignment will be released; confirmed assignments stay." in page_text(confirm.content)
    assert "Close the slot</button>" in confirm.content.decode()
    # Back to the slot's row on the project page.
    assert closed.url == f"{reverse('project_detail', args=[project.pk])}#slot-{slot.pk}"
    assert messages_of(closed) == ["Closed the slot “Modeller”."]
    assert messages_of(again)[-1] == "The slot is already closed."
    slot.refresh_from_db()
    assert slot.closed_at is not None
    assert list(Assignment.objects.values_list("person__name", flat=True)) == ["Kept Confirmed"]
    assert AssignmentChange.objects.get().action == "released"
