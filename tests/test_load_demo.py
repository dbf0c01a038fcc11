"""``manage.py load_demo`` builds the same demo organisation every time, within every staffing rule, and
never destroys a user's work; ``manage.py reset_demo`` deletes it and loads it afresh, after asking."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from people.models import Certification, Person, SkillRating, SkillRatingChange, Team
from people.services import set_ratings, update_person
from projects import services as project_services
from projects.models import (
    PHASE_ORDER,
    Assignment,
    AssignmentChange,
    AssignmentStatus,
    Phase,
    PhaseTransition,
    Project,
    RoleSlot,
)
from projects.selectors import compute_unfilled_fte
from roles.models import Profession, SpectrumLevel
from skills.models import Skill
from staffing.models import Report
from staffing.report_selectors import organisation_gaps
from staffing.report_types import OrganisationResult, TeamResult
from staffing.services import request_report
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

CAPACITIES = {Decimal(c) for c in ("0.5", "0.6", "0.7", "0.8", "0.9", "1.0")}
COVID = "COVID-19 chest x-ray screening (Emergency Department)"
FEEDBACK = "Patient feedback topics and sentiment"


def load_demo(*args: str) -> str:
    """Run the command as ``make run`` does: reports requested on commit are computed before it returns."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def reset_demo(*args: str) -> str:
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("reset_demo", *args, stdout=out)
    return out.getvalue()


def rows() -> dict[str, list[int]]:
    """Every table's ids, so that a run that neither adds, deletes nor replaces a row leaves it equal."""
    return {
        model._meta.label: sorted(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """The rows a user's work touches, field by field."""
    return {
        "people": list(Person.objects.order_by("pk").values_list("pk", "name", "capacity_fte", "team_id", "user_id")),
        "ratings": list(SkillRating.objects.order_by("pk").values_list("pk", "person_id", "skill_id", "level")),
        "projects": list(Project.objects.order_by("pk").values_list("pk", "name", "phase")),
        "slots": list(RoleSlot.objects.order_by("pk").values_list("pk", "title", "fte", "unfilled_fte")),
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk", "person_id", "allocation", "status")),
        "reports": list(Report.objects.order_by("pk").values_list("pk", "kind", "status", "project_id")),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
    }


def peak_confirmed_load(assignments: list[Assignment]) -> Decimal:
    """The greatest sum of allocations on any one day; it is reached on the first day of some assignment."""
    return max(
        (sum((a.allocation for a in assignments if a.starts_on <= day <= a.ends_on), Decimal(0)))
        for day in {a.starts_on for a in assignments}
    )


# --- Running it again --------------------------------------------------------------------------------


def test_running_it_twice_on_an_untouched_database_changes_nothing() -> None:
    load_demo()
    first, before = rows(), snapshot()

    output = load_demo()

    assert rows() == first
    assert snapshot() == before
    assert "Created now: nothing: it was all there." in output


def test_running_it_again_keeps_every_change_a_user_made_with_the_same_ids() -> None:
    load_demo()
    manager, lead = User.objects.get(username="manager"), User.objects.get(username="lead")
    feedback = Project.objects.get(name=FEEDBACK)
    analyst = Profession.objects.get(slug="data-analyst")
    # A manager's day: a new slot, someone assigned to it, a phase move, a lower capacity, a release.
    slot = project_services.create_slot(
        project=feedback, profession=analyst, phases=[Phase.DATA_UNDERSTANDING], fte=Decimal("0.40"), actor=manager
    )
    newcomer = Person.objects.filter(profession=analyst, assignments__isnull=True).order_by("pk").first()
    assert newcomer is not None
    assignment = project_services.assign_person(
        slot=slot,
        person=newcomer,
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        allocation=Decimal("0.40"),
        status=AssignmentStatus.CONFIRMED,
        actor=manager,
    )
    moved = project_services.advance_phase(project=feedback, to=Phase.DATA_UNDERSTANDING, actor=manager)
    released = Assignment.objects.filter(status=AssignmentStatus.TENTATIVE).order_by("pk").first()
    assert released is not None
    project_services.release_assignment(assignment=released, actor=manager)
    update_person(person=newcomer, changes={"name": "Renamed Newcomer", "capacity_fte": Decimal("0.90")})
    # A lead's day: a rating of a team member, and a report.
    member = Person.objects.filter(team__lead__user=lead).exclude(user=lead).order_by("pk").first()
    assert member is not None
    set_ratings(person=member, levels={"statistics": 5}, actor=lead)
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = request_report(kind=Report.Kind.PROJECT, project=feedback, requested_by=lead)
    before_ids, before = rows(), snapshot()

    load_demo()

    assert rows() == before_ids
    assert snapshot() == before
    assert RoleSlot.objects.get(pk=slot.pk).unfilled_fte == 0
    assert Assignment.objects.get(pk=assignment.pk).person.name == "Renamed Newcomer"
    assert Project.objects.get(pk=moved.pk).phase == Phase.DATA_UNDERSTANDING
    assert not Assignment.objects.filter(pk=released.pk).exists()
    assert AssignmentChange.objects.filter(assignment_id=released.pk, action="released").exists()
    assert SkillRating.objects.get(person=member, skill__slug="statistics").level == 5
    assert Report.objects.get(pk=report.pk).status == Report.Status.DONE


def test_it_creates_only_what_is_missing() -> None:
    load_demo()
    kept = rows()
    Project.objects.get(name=COVID).delete()

    output = load_demo()

    again = rows()
    covid = Project.objects.get(name=COVID)
    assert "Created now: 1 project." in output
    assert covid.phase == Phase.IMPLEMENTATION
    assert set(kept["people.Person"]) == set(again["people.Person"])
    assert set(kept["projects.Project"]) - set(again["projects.Project"]) != set()
    assert RoleSlot.objects.filter(project=covid).count() == 6


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


def test_reloading_keeps_demo_people_on_other_projects() -> None:
    load_demo()
    slot = RoleSlotFactory(fte=Decimal("1.00"), unfilled_fte=Decimal("0.50"))
    placed = AssignmentFactory(slot=slot, person=Person.objects.get(user__username="viewer"), allocation="0.50")

    load_demo()

    assert list(slot.assignments.all()) == [placed]


def test_an_account_whose_password_was_changed_keeps_it() -> None:
    load_demo()
    lead = User.objects.get(username="lead")
    lead.set_password("my-own-secret")
    lead.save()

    output = load_demo()

    lead.refresh_from_db()
    assert lead.check_password("my-own-secret")
    assert "kept its own password" in output


# --- What it builds ------------------------------------------------------------------------------


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


def test_everyone_is_rated_near_their_profession_spectrum_and_only_the_few_experts_at_five() -> None:
    load_demo()
    spectrum = {(s.profession_id, s.skill_id): s.level for s in SpectrumLevel.objects.all()}
    skills = set(Skill.objects.filter(is_builtin=True).values_list("pk", flat=True))

    ratings = list(SkillRating.objects.select_related("person", "skill"))

    assert len(ratings) == 60 * len(skills)
    assert SkillRatingChange.objects.count() == len(ratings)
    assert all({r.skill_id for r in ratings if r.person_id == p} == skills for p in {r.person_id for r in ratings})
    assert all(abs(r.level - spectrum[r.person.profession_id, r.skill_id]) <= 1 for r in ratings)
    assert all(0 <= r.level <= 5 and r.source == "lead" for r in ratings)
    assert sorted((r.person.name, r.skill.slug) for r in ratings if r.level == 5) == sorted(
        [(expert, skill) for expert in experts() for skill in experts()[expert]]
    )


def experts() -> dict[str, list[str]]:
    imaging = Person.objects.get(team__name="Imaging Analytics", profession__slug="ml-engineer")
    platform = Person.objects.filter(team__name="Clinical Data Platform", profession__slug="data-engineer")
    return {imaging.name: ["deployment", "ml-ops"], platform.order_by("pk")[1].name: ["databases", "data-pipelines"]}


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
    extra = {"Clinical deployment lead", "EHR streaming pipelines", "Clinical language modelling"}
    assert set(RoleSlot.objects.exclude(title="").values_list("title", flat=True)) == extra
    assert RoleSlot.objects.count() == sum(p.template.slots.count() for p in Project.objects.all()) + len(extra)
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


# --- Something to act on -------------------------------------------------------------------------


def test_the_nightly_organisation_report_is_computed_and_shows_genuine_gaps() -> None:
    load_demo()
    today = timezone.localdate()

    report = Report.objects.get(kind=Report.Kind.ORGANISATION)
    gaps = organisation_gaps(result=report.result)  # type: ignore[arg-type]
    result: OrganisationResult = report.result  # type: ignore[assignment]

    assert (report.status, report.requested_by, report.starts_on) == (Report.Status.DONE, None, today)
    assert report.ends_on == today + dt.timedelta(weeks=13, days=-1)
    assert [(gap.skill, gap.level, gap.gap) for gap in gaps] == [
        ("deployment", 5, 1.0),
        ("ml-ops", 5, 1.0),
        ("databases", 5, 0.8),
        ("data-pipelines", 5, 0.8),
        ("ml-modelling", 5, 0.5),
        ("research", 5, 0.5),
    ]
    assert all(row["demand"] > row["supply"] for row in result["gaps"] if row["gap"] > 0)


def test_the_leads_team_has_a_bus_factor_flag_in_its_report() -> None:
    load_demo()

    report = Report.objects.get(kind=Report.Kind.TEAM)
    result: TeamResult = report.result  # type: ignore[assignment]

    assert (report.team.name, report.status) == ("Imaging Analytics", Report.Status.DONE)  # type: ignore[union-attr]
    assert [(row["skill"], row["bus_factor"]) for row in result["skills"] if row["flagged"]] == [
        ("deployment", 1),
        ("ml-ops", 1),
    ]


def test_one_person_is_confirmed_at_capacity_with_a_tentative_proposal_on_top() -> None:
    load_demo()
    engineer = Person.objects.get(team__name="Imaging Analytics", profession__slug="ml-engineer")
    today = timezone.localdate()

    current = engineer.assignments.filter(starts_on__lte=today + dt.timedelta(days=7), ends_on__gte=today)

    assert engineer.capacity_fte == Decimal("1.00")
    assert sorted((a.status, a.allocation) for a in current) == [
        (AssignmentStatus.CONFIRMED, Decimal("1.00")),
        (AssignmentStatus.TENTATIVE, Decimal("0.50")),
    ]


def test_one_certificate_expires_within_30_days() -> None:
    load_demo()
    today = timezone.localdate()

    soon = Certification.objects.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=30))

    assert ("Imaging Analytics", "privacy-hipaa") in set(soon.values_list("person__team__name", "kind__slug"))


def test_a_rerun_does_not_request_the_reports_again() -> None:
    load_demo()
    reports = list(Report.objects.values_list("pk", flat=True))

    load_demo()

    assert list(Report.objects.values_list("pk", flat=True)) == reports


# --- Sign-ins ------------------------------------------------------------------------------------


def test_it_prints_every_demo_sign_in_with_its_role_and_the_password() -> None:
    output = load_demo()

    manager, lead, viewer = (User.objects.get(username=name) for name in ("manager", "lead", "viewer"))

    assert "Password: spectrum-demo" in output
    assert "  manager  manager: runs projects" in output
    lead_role = "team lead of Imaging Analytics: rates its people, reads and requests reports"
    viewer_role = "staff member of Imaging Analytics: sees projects, their own ratings and assignments"
    assert f"  lead     {lead_role} (signed in as {lead.person.name})" in output
    assert f"  viewer   {viewer_role} (signed in as {viewer.person.name})" in output
    assert all(user.check_password("spectrum-demo") for user in (manager, lead, viewer))
    assert list(manager.groups.values_list("name", flat=True)) == ["managers"]
    assert list(lead.groups.values_list("name", flat=True)) == ["leads"]
    assert list(viewer.groups.values_list("name", flat=True)) == []
    assert list(lead.person.teams_led.all()) == [lead.person.team]
    assert viewer.person.team == lead.person.team
    assert list(viewer.person.teams_led.all()) == []
    assert viewer.person.assignments.filter(status=AssignmentStatus.CONFIRMED).exists()


def test_the_password_can_be_chosen() -> None:
    output = load_demo("--password", "another-secret")

    assert "another-secret" in output
    assert User.objects.get(username="lead").check_password("another-secret")


# --- reset_demo ----------------------------------------------------------------------------------


def test_reset_refuses_without_a_yes_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo()
    Project.objects.get(name=FEEDBACK).delete()
    before = rows()
    monkeypatch.setattr("builtins.input", lambda question: "no")

    output = reset_demo()

    assert "Reset cancelled: nothing was changed." in output
    assert rows() == before


def test_reset_counts_no_answer_as_no(monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo()
    before = rows()

    def closed(question: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", closed)

    assert "Reset cancelled" in reset_demo()
    assert rows() == before


def test_reset_deletes_the_users_changes_and_loads_the_demo_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo()
    fresh = {label: len(ids) for label, ids in rows().items()}
    lead = User.objects.get(username="lead")
    lead.set_password("changed")
    lead.save()
    feedback = Project.objects.get(name=FEEDBACK)
    project_services.advance_phase(project=feedback, to=Phase.DATA_UNDERSTANDING, actor=lead)
    stranger = PersonFactory(name="Not In The Demo", team=None)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "yes")

    output = reset_demo()

    assert len(asked) == 1
    assert "Demo sign-ins:" in output
    assert Project.objects.get(name=FEEDBACK).phase == Phase.PROBLEM_UNDERSTANDING
    assert Project.objects.get(name=FEEDBACK).pk != feedback.pk
    assert User.objects.get(username="lead").check_password("spectrum-demo")
    assert Person.objects.filter(pk=stranger.pk).exists()
    after = {label: len(ids) for label, ids in rows().items()}
    assert after == fresh | {"people.Person": fresh["people.Person"] + 1}


def test_reset_with_no_input_does_not_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo()
    Project.objects.get(name=COVID).delete()

    def never(question: str) -> str:
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", never)

    reset_demo("--no-input")

    assert Project.objects.filter(name=COVID).count() == 1
