"""The projects list and a project's page: timeline, tasks by phase, role slots and their coverage."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from projects.models import AssignmentStatus, Phase, Project, ProjectTemplate
from projects.services import create_project
from tests.builders import build_project_with_tasks, day, page_text
from tests.factories import AssignmentFactory, PersonFactory, ProjectFactory, RoleSlotFactory, profession

pytestmark = pytest.mark.django_db


def project_names(response: object) -> list[str]:
    return [project.name for project in response.context["page"].object_list]  # type: ignore[attr-defined]


def test_the_list_shows_projects_by_start_date_with_phase_and_staffing(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    later = ProjectFactory(name="Feedback topics", starts_on=day("2027-03-01"), phase=Phase.IMPLEMENTATION)
    earlier = ProjectFactory(name="Readmission risk", starts_on=day("2027-01-04"))
    RoleSlotFactory(project=earlier, fte=Decimal("0.50"), unfilled_fte=Decimal("0.20"))
    RoleSlotFactory(project=earlier, fte=Decimal("1.00"), unfilled_fte=Decimal("1.00"))

    response = signed_in(viewer).get(reverse("project_list"))
    text = page_text(response.content)

    assert project_names(response) == ["Readmission risk", "Feedback topics"]
    assert "Readmission risk Problem understanding Blank 4 Jan 2027 30 Jun 2027 2 1.20 of 1.50" in text
    assert "Feedback topics Implementation Blank 1 Mar 2027 30 Jun 2027 0 0.00" in text
    assert f'<a href="/projects/{later.pk}/">Feedback topics</a>' in response.content.decode()


def test_the_list_writes_fte_sums_in_hundredths_on_every_database(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    # SQLite sums decimals as floats: these came back as Decimal("3.80000000000000") and ("1.60000000000000").
    project = ProjectFactory(name="Readmission risk")
    for fte, unfilled in (("1.00", "0.60"), ("0.90", "0.40"), ("0.80", "0.30"), ("0.60", "0.20"), ("0.50", "0.10")):
        RoleSlotFactory(project=project, fte=Decimal(fte), unfilled_fte=Decimal(unfilled))

    response = signed_in(viewer).get(reverse("project_list"))
    listed = response.context["page"].object_list[0]

    assert (listed.open_fte, listed.open_unfilled_fte) == (Decimal("3.80"), Decimal("1.60"))
    assert (str(listed.open_fte), str(listed.open_unfilled_fte)) == ("3.80", "1.60")
    assert "5 1.60 of 3.80" in page_text(response.content)


def test_the_list_filters_by_phase(signed_in: Callable[[User], Client], viewer: User) -> None:
    ProjectFactory(name="Readmission risk", phase=Phase.DATA_UNDERSTANDING)
    ProjectFactory(name="Feedback topics", phase=Phase.IMPLEMENTATION)
    client = signed_in(viewer)

    response = client.get(reverse("project_list"), {"phase": "implementation"})

    assert project_names(response) == ["Feedback topics"]
    assert "<h1>Projects in implementation</h1>" in response.content.decode()
    assert '<a href="/projects/?phase=implementation" aria-current="page">' in response.content.decode()
    assert len(project_names(client.get(reverse("project_list"), {"phase": "nonsense"}))) == 2


def test_the_list_pages_by_25(signed_in: Callable[[User], Client], viewer: User) -> None:
    for number in range(27):
        ProjectFactory(name=f"Project {number:02d}", phase=Phase.IMPLEMENTATION)
    client = signed_in(viewer)

    first = client.get(reverse("project_list"), {"phase": "implementation"})
    second = client.get(reverse("project_list"), {"phase": "implementation", "page": 2})

    assert len(project_names(first)) == 25
    assert project_names(second) == ["Project 25", "Project 26"]
    assert '<a href="?phase=implementation&amp;page=2" rel="next">' in first.content.decode()
    assert "Page 2 of 2, showing 26–27 of 27 projects" in page_text(second.content)


def test_the_list_says_so_when_there_are_no_projects(signed_in: Callable[[User], Client], viewer: User) -> None:
    assert "No projects yet." in page_text(signed_in(viewer).get(reverse("project_list")).content)


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_the_same_queries_whatever_the_number_of_projects(
    count: int, signed_in: Callable[[User], Client], viewer: User, django_assert_num_queries: Callable
) -> None:
    for _ in range(count):
        RoleSlotFactory(project__template=ProjectTemplate.objects.first())
    client = signed_in(viewer)

    # session, user, count for the paginator, the page of projects with template and slot sums,
    # the user's groups (for the nav)
    with django_assert_num_queries(5):
        response = client.get(reverse("project_list"))

    assert len(project_names(response)) == count


def test_a_project_shows_its_phase_timeline_with_the_current_phase_in_words(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    project = build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)

    response = signed_in(viewer).get(reverse("project_detail", args=[project.pk]))
    html = response.content.decode()
    text = page_text(html)

    assert [(step.label, step.state) for step in response.context["steps"]] == [
        ("Problem understanding", "done"),
        ("Data understanding", "current"),
        ("Implementation", "upcoming"),
        ("Closed", "upcoming"),
    ]
    assert (
        "Phase timeline ✓ Problem understanding Done 2 Data understanding Current phase "
        "3 Implementation Upcoming 4 Closed Upcoming"
    ) in text
    assert len(re.findall(r'aria-current="step"', html)) == 1


def test_a_project_shows_each_professions_tasks_per_phase(signed_in: Callable[[User], Client], viewer: User) -> None:
    project = build_project_with_tasks()

    response = signed_in(viewer).get(reverse("project_detail", args=[project.pk]))
    text = page_text(response.content)

    phases = response.context["phases"]
    assert [phase.label for phase in phases] == ["Problem understanding", "Data understanding", "Implementation"]
    assert [[group.profession.slug for group in phase.professions] for phase in phases] == [
        ["data-scientist", "data-analyst", "data-engineer", "ml-engineer"]
    ] * 3
    assert (
        "Data engineer Data engineer task in implementation What this profession does in this phase. "
        "Data pipelines level 4"
    ) in text
    assert "Data understanding Current phase Data scientist Data scientist task in data understanding" in text


def test_a_project_shows_its_slots_and_how_filled_they_are(signed_in: Callable[[User], Client], manager: User) -> None:
    project = build_project_with_tasks()
    slot = RoleSlotFactory(
        project=project,
        profession=profession("ml-engineer"),
        fte=Decimal("0.80"),
        unfilled_fte=Decimal("0.20"),
        in_problem_understanding=False,
    )
    AssignmentFactory(slot=slot, person=PersonFactory(name="Isla Adeyemi"), allocation=Decimal("0.60"))
    RoleSlotFactory(project=project, title="Dashboard builder", profession=profession("data-analyst"))

    response = signed_in(manager).get(reverse("project_detail", args=[project.pk]))
    html = response.content.decode()
    text = page_text(html)

    assert (
        "ML engineer Data understanding, Implementation 4 Jan 2027 to 30 Jun 2027 0.80 0.20 "
        "0.60 of 0.80 FTE filled (75%) 75% Isla Adeyemi , 0.60 FTE Confirmed"
    ) in text
    assert "Dashboard builder Problem understanding, Data understanding, Implementation" in text
    assert "0.00 of 1.00 FTE filled (0%) 0% Nobody yet" in text
    assert 'role="img" aria-label="0.60 of 0.80 FTE filled (75%)"' in html
    assert 'class="coverage__fill" x="0" y="0" width="90.0"' in html


def test_staff_see_their_own_assignment_by_name_and_others_as_a_count(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    project = build_project_with_tasks()
    slot = RoleSlotFactory(project=project)
    AssignmentFactory(slot=slot, person=viewer.person, status=AssignmentStatus.TENTATIVE)
    AssignmentFactory(slot=slot, person=PersonFactory(name="Someone Else"))
    AssignmentFactory(slot=RoleSlotFactory(project=project), person=PersonFactory(name="Another Person"))

    text = page_text(signed_in(viewer).get(reverse("project_detail", args=[project.pk])).content)

    assert "Vic Viewer , 0.50 FTE Tentative and 1 other person" in text
    assert "Someone Else" not in text
    assert "Another Person" not in text


def test_a_missing_project_is_not_found(signed_in: Callable[[User], Client], viewer: User) -> None:
    assert signed_in(viewer).get(reverse("project_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_a_project_runs_the_same_queries_whatever_the_number_of_slots(
    count: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    project = build_project_with_tasks()
    for _ in range(count):
        AssignmentFactory(slot=RoleSlotFactory(project=project))
    client = signed_in(manager)

    # session, user, the project with its template, tasks with profession, their skills,
    # slots with profession, their assignments with person, the user's groups, the phase history,
    # the assignment changes
    with django_assert_num_queries(10):
        response = client.get(reverse("project_detail", args=[project.pk]))

    assert len(response.context["slot_rows"]) == count


def test_a_project_made_from_a_builtin_template_shows_the_templates_tasks(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    project: Project = create_project(
        name="Screening at the Royal",
        starts_on=day("2027-01-04"),
        ends_on=day("2027-06-30"),
        template=ProjectTemplate.objects.get(slug="covid-cxr-screening"),
    )

    response = signed_in(manager).get(reverse("project_detail", args=[project.pk]))

    assert all(len(phase.professions) == 4 for phase in response.context["phases"])
    assert len(response.context["slot_rows"]) == project.slots.count() > 0
