"""``manage.py load_demo`` builds the same demo organisation every time, within every staffing rule."""

from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command

from people.models import Person, SkillRating, SkillRatingChange, Team
from projects.models import PHASE_ORDER, Assignment, AssignmentStatus, Phase, PhaseTransition, Project, RoleSlot
from projects.selectors import compute_unfilled_fte
from roles.models import SpectrumLevel
from skills.models import Skill
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

CAPACITIES = {Decimal(c) for c in ("0.5", "0.6", "0.7", "0.8", "0.9", "1.0")}


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def peak_confirmed_load(assignments: list[Assignment]) -> Decimal:
    """The greatest sum of allocations on any one day; it is reached on the first day of some assignment."""
    return max(
        (sum((a.allocation for a in assignments if a.starts_on <= day <= a.ends_on), Decimal(0)))
        for day in {a.starts_on for a in assignments}
    )


def test_running_it_twice_gives_the_same_rows() -> None:
    load_demo()
    first = row_counts()

    load_demo()

    assert row_counts() == first


def test_it_keeps_data_that_is_not_the_demo() -> None:
    PersonFactory(name="Pat Physicist", team=TeamFactory(name="Radiotherapy Physics"))
    PersonFactory(name="Eve Epidemiologist", team=TeamFactory(name="Population Health"))
    UserFactory(username="someone")

    load_demo()
    load_demo()

    kept = Person.objects.filter(name__in=["Pat Physicist", "Eve Epidemiologist"]).order_by("name")
    assert list(kept.values_list("name", "team__name")) == [
        ("Eve Epidemiologist", "Population Health"),
        ("Pat Physicist", "Radiotherapy Physics"),
    ]
    assert User.objects.filter(username="someone").exists()


def test_reloading_releases_demo_people_from_other_projects() -> None:
    load_demo()
    slot = RoleSlotFactory(fte=Decimal("1.00"), unfilled_fte=Decimal("0.50"))
    AssignmentFactory(slot=slot, person=Person.objects.get(user__username="viewer"), allocation=Decimal("0.50"))

    load_demo()

    slot.refresh_from_db()
    assert list(slot.assignments.all()) == []
    assert slot.unfilled_fte == Decimal("1.00")


def test_it_builds_five_teams_of_people_across_the_four_professions() -> None:
    load_demo()

    teams = list(Team.objects.select_related("lead"))
    people = list(Person.objects.select_related("profession"))

    assert len(teams) == 5
    assert len(people) == 60
    assert {p.profession.slug for p in people} == {"data-scientist", "data-analyst", "data-engineer", "ml-engineer"}
    assert {p.capacity_fte for p in people} <= CAPACITIES
    assert all(team.lead is not None and team.lead.team_id == team.pk for team in teams)
    assert sorted(team.members.count() for team in teams) == [12] * 5


def test_everyone_is_rated_near_their_profession_spectrum() -> None:
    load_demo()
    spectrum = {(s.profession_id, s.skill_id): s.level for s in SpectrumLevel.objects.all()}
    skills = set(Skill.objects.filter(is_builtin=True).values_list("pk", flat=True))

    ratings = list(SkillRating.objects.select_related("person"))

    assert len(ratings) == 60 * len(skills)
    assert SkillRatingChange.objects.count() == len(ratings)
    assert all({r.skill_id for r in ratings if r.person_id == p} == skills for p in {r.person_id for r in ratings})
    assert all(abs(r.level - spectrum[r.person.profession_id, r.skill_id]) <= 1 for r in ratings)
    assert all(0 <= r.level <= 5 and r.source == "lead" for r in ratings)


def test_the_three_projects_sit_in_three_phases_with_their_moves_recorded() -> None:
    load_demo()

    projects = list(Project.objects.select_related("template").order_by("template__slug"))

    assert [(p.template.slug, p.phase) for p in projects] == [
        ("covid-cxr-screening", Phase.IMPLEMENTATION),
        ("patient-feedback", Phase.PROBLEM_UNDERSTANDING),
        ("readmission-risk", Phase.DATA_UNDERSTANDING),
    ]
    for project in projects:
        moves = [(t.from_phase, t.to_phase) for t in PhaseTransition.objects.filter(project=project)]
        path = PHASE_ORDER[: PHASE_ORDER.index(project.phase) + 1]
        assert moves == list(pairwise(path))
        assert all(t.moved_by.username == "manager" for t in project.transitions.all())


def test_slots_have_tentative_and_confirmed_people_and_a_current_unfilled_fte() -> None:
    load_demo()

    statuses = set(Assignment.objects.values_list("status", flat=True))
    slots = list(RoleSlot.objects.all())

    assert statuses == {AssignmentStatus.TENTATIVE, AssignmentStatus.CONFIRMED}
    assert RoleSlot.objects.count() == sum(p.template.slots.count() for p in Project.objects.all())
    assert [s.unfilled_fte for s in slots] == [compute_unfilled_fte(slot=s) for s in slots]
    assert any(s.unfilled_fte == 0 for s in slots)
    assert any(s.unfilled_fte > 0 for s in slots)
    assert all(
        a.person.profession_id == a.slot.profession_id for a in Assignment.objects.select_related("person", "slot")
    )


def test_no_one_is_confirmed_beyond_their_capacity_on_any_day() -> None:
    load_demo()
    confirmed: dict[Person, list[Assignment]] = {}
    for assignment in Assignment.objects.filter(status=AssignmentStatus.CONFIRMED).select_related("person"):
        confirmed.setdefault(assignment.person, []).append(assignment)

    over = {
        person.name
        for person, assignments in confirmed.items()
        if peak_confirmed_load(assignments) > person.capacity_fte
    }

    assert len(confirmed) >= 3
    assert over == set()


def test_the_demo_users_sign_in_with_the_printed_password() -> None:
    output = load_demo()

    manager, lead, viewer = (User.objects.get(username=name) for name in ("manager", "lead", "viewer"))

    assert "spectrum-demo" in output
    assert all(user.check_password("spectrum-demo") for user in (manager, lead, viewer))
    assert list(manager.groups.values_list("name", flat=True)) == ["managers"]
    assert list(lead.groups.values_list("name", flat=True)) == ["leads"]
    assert list(viewer.groups.values_list("name", flat=True)) == []
    assert list(lead.person.teams_led.all()) == [lead.person.team]
    assert viewer.person.team == lead.person.team
    assert list(viewer.person.teams_led.all()) == []


def test_the_password_can_be_chosen() -> None:
    output = load_demo("--password", "another-secret")

    assert "another-secret" in output
    assert User.objects.get(username="lead").check_password("another-secret")
