"""Load a demo organisation: five teams of staff, three projects in different phases, and their staffing.

The data is the same on every run (a seeded random generator) and sits around the current week, so
the demo always looks current. Running the command again replaces the demo rows and nothing else.
"""

import datetime as dt
import random
from argparse import ArgumentParser
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from people.access import LEADS, MANAGERS
from people.models import (
    Certification,
    CertificationType,
    Person,
    RatingSource,
    SkillRating,
    SkillRatingChange,
    Team,
)
from projects import services
from projects.models import Assignment, AssignmentStatus, Phase, PhaseTransition, Project, ProjectTemplate, RoleSlot
from roles.models import Profession, SpectrumLevel
from skills.models import MAX_LEVEL, MIN_LEVEL, Skill

DEFAULT_PASSWORD = "spectrum-demo"  # noqa: S105  the published password of the demo accounts
SEED = 2024
EMAIL_DOMAIN = "demo.spectrum.example"

TEAMS = [
    "Imaging Analytics",
    "Clinical Outcomes",
    "Patient Experience",
    "Population Health",
    "Clinical Data Platform",
]
LEAD_TEAM = TEAMS[0]  # the team the ``lead`` user leads and the ``viewer`` user belongs to
PER_PROFESSION_PER_TEAM = 3

FIRST_NAMES = [
    "Aisha", "Alex", "Amara", "Anjali", "Ben", "Carys", "Chen", "Chloe", "Chidi", "Daniel",
    "Dev", "Eilidh", "Elena", "Emeka", "Fatima", "Finn", "Grace", "Hamza", "Hannah", "Ibrahim",
    "Isla", "Jamal", "Joanna", "Kai", "Kavya", "Liam", "Lucía", "Mai", "Marek", "Maya",
    "Mohammed", "Nadia", "Niamh", "Noah", "Olu", "Oscar", "Priya", "Rahul", "Rhys", "Rosa",
    "Ruth", "Saanvi", "Samir", "Sara", "Sean", "Sofia", "Tariq", "Tendai", "Thomas", "Uma",
    "Victor", "Wei", "Yasmin", "Yusuf", "Zara", "Zofia", "Kwame", "Ingrid", "Mateo", "Leah",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Ahmed", "Andersson", "Bailey", "Banerjee", "Bennett", "Campbell", "Chowdhury", "Clarke", "Costa",
    "Davies", "Dlamini", "Evans", "Fernandes", "Fraser", "Gallagher", "Green", "Gupta", "Hassan", "Hughes",
    "Iqbal", "Jenkins", "Johansson", "Kaur", "Kowalski", "Lewis", "Li", "MacLeod", "Mensah", "Morgan",
    "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor", "O'Brien", "Osei", "Owusu", "Patel", "Popescu",
    "Price", "Quinn", "Rahman", "Reid", "Roberts", "Rossi", "Santos", "Shah", "Silva", "Singh",
    "Sullivan", "Tanaka", "Thompson", "Turner", "Walsh", "Wang", "Watson", "Williams", "Wójcik", "Zhang",
]  # fmt: skip
CAPACITIES = [Decimal("1.0")] * 6 + [Decimal(c) for c in ("0.9", "0.8", "0.8", "0.7", "0.6", "0.5")]

# (certification slug, professions that may hold it, chance that one of them does)
CERTIFICATIONS = [
    ("privacy-hipaa", {"data-engineer", "ml-engineer", "data-scientist", "data-analyst"}, 0.3),
    ("hl7-fhir", {"data-engineer", "data-analyst"}, 0.25),
    ("cloud-ml", {"ml-engineer", "data-engineer"}, 0.35),
]


@dataclass(frozen=True)
class DemoProject:
    """A demo project: its template, name, start and length in weeks from this week, and its phase moves."""

    template: str
    name: str
    start_week: int
    weeks: int
    moves: list[tuple[str, int, str]]  # (to phase, week of the move, note)


PROJECTS = [
    DemoProject(
        "covid-cxr-screening",
        "COVID-19 chest x-ray screening (Emergency Department)",
        -20,
        36,
        [
            (Phase.DATA_UNDERSTANDING, -15, "Problem framed and pilot sites chosen."),
            (Phase.IMPLEMENTATION, -6, "Image set cleaned; preprocessing agreed with radiology."),
        ],
    ),
    DemoProject(
        "readmission-risk",
        "30-day readmission risk (medical wards)",
        -6,
        30,
        [(Phase.DATA_UNDERSTANDING, -2, "Target and success measures signed off by the discharge team.")],
    ),
    DemoProject("patient-feedback", "Patient feedback topics and sentiment", -1, 28, []),
]


class Command(BaseCommand):
    help = "Load (or reload) the demo organisation: teams, people, ratings, projects and assignments."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help="Password of the demo users manager, lead and viewer."
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        templates = ProjectTemplate.objects.in_bulk([p.template for p in PROJECTS], field_name="slug")
        if len(templates) != len(PROJECTS):
            raise CommandError("The built-in project templates are missing: run `manage.py migrate` first.")

        today = timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        rng = random.Random(SEED)  # noqa: S311  seeded on purpose, so every run builds the same demo
        with transaction.atomic():
            clear_demo()
            users = create_users(password)
            people = create_people(rng, monday, users)
            projects = create_projects(monday, templates, users["manager"])
            assignments = staff_projects(rng, projects, people, users["manager"])
            link_viewer(users, people, assignments)

        confirmed = sum(a.status == AssignmentStatus.CONFIRMED for a in assignments)
        self.stdout.write(
            f"Demo organisation loaded: {Team.objects.filter(name__in=TEAMS).count()} teams, "
            f"{len(people)} people, {SkillRating.objects.filter(person__in=people).count()} skill ratings, "
            f"{Certification.objects.filter(person__in=people).count()} certifications, {len(projects)} projects, "
            f"{RoleSlot.objects.filter(project__in=projects).count()} role slots, {len(assignments)} assignments "
            f"({confirmed} confirmed, {len(assignments) - confirmed} tentative)."
        )
        self.stdout.write(f"Sign in as manager, lead or viewer with the password: {password}")


def demo_email(name: str) -> str:
    return ".".join(slugify(part) for part in name.split()) + "@" + EMAIL_DOMAIN


def clear_demo() -> None:
    """Delete the rows a previous run made: demo projects and people (found by their e-mail domain).

    Teams are kept and reused by name, so a team of the same name with other members loses nobody.
    """
    people = Person.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    Project.objects.filter(name__in=[p.name for p in PROJECTS]).delete()
    # Demo people may since have been put on other projects; release them there so they can go.
    stray = Assignment.objects.filter(person__in=people)
    slot_ids = set(stray.values_list("slot_id", flat=True))
    stray.delete()
    for slot_id in slot_ids:
        services.refresh_unfilled_fte(slot_id=slot_id)
    people.delete()


def create_users(password: str) -> dict[str, User]:
    """The demo sign-ins: ``manager`` (managers), ``lead`` (leads) and ``viewer`` (no group)."""
    groups = Group.objects.in_bulk([MANAGERS, LEADS], field_name="name")
    users = {}
    for username, group in (("manager", MANAGERS), ("lead", LEADS), ("viewer", None)):
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@{EMAIL_DOMAIN}"})
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set([groups[group]] if group else [])
        users[username] = user
    return users


def create_people(rng: random.Random, monday: dt.date, users: dict[str, User]) -> list[Person]:
    """Five teams of twelve (three of each profession), each rated near their profession's spectrum."""
    professions = list(Profession.objects.filter(is_builtin=True).order_by("order"))
    names = [
        f"{first} {last}" for first, last in zip(rng.sample(FIRST_NAMES, 60), rng.sample(LAST_NAMES, 60), strict=True)
    ]
    teams = [Team.objects.get_or_create(name=name)[0] for name in TEAMS]

    people: list[Person] = []
    for team_index, team in enumerate(teams):
        # Rotate the professions so each team's lead (its first member) has a different one.
        rotated = professions[team_index:] + professions[:team_index]
        members = [p for _ in range(PER_PROFESSION_PER_TEAM) for p in rotated]
        for profession in members:
            name = names[len(people)]
            people.append(
                Person(
                    name=name,
                    email=demo_email(name),
                    profession=profession,
                    team=team,
                    capacity_fte=rng.choice(CAPACITIES),
                )
            )
    lead_team = next(i for i, name in enumerate(TEAMS) if name == LEAD_TEAM)
    team_size = len(people) // len(teams)
    people[lead_team * team_size].user = users["lead"]
    people = Person.objects.bulk_create(people)

    for team_index, team in enumerate(teams):
        team.lead = people[team_index * team_size]
    Team.objects.bulk_update(teams, ["lead"])

    rate_people(rng, monday, people, lead_user=users["lead"], lead_team=teams[lead_team])
    certify_people(rng, monday, people)
    return people


def rate_people(rng: random.Random, monday: dt.date, people: list[Person], *, lead_user: User, lead_team: Team) -> None:
    """Rate everyone in every built-in skill at their spectrum level ± 1, and record each rating as a change."""
    skills = list(Skill.objects.filter(is_builtin=True).order_by("group__order", "order"))
    spectrum = {(s.profession_id, s.skill_id): s.level for s in SpectrumLevel.objects.all()}
    ratings, changes = [], []
    for person in people:
        rated_by = lead_user if person.team_id == lead_team.pk else None
        rated_at = dt.datetime.combine(monday - dt.timedelta(days=rng.randint(7, 180)), dt.time(10), tzinfo=dt.UTC)
        for skill in skills:
            expected = spectrum.get((person.profession_id, skill.pk), 0)
            level = min(MAX_LEVEL, max(MIN_LEVEL, expected + rng.choice((-1, 0, 0, 1))))
            ratings.append(
                SkillRating(
                    person=person,
                    skill=skill,
                    level=level,
                    source=RatingSource.LEAD,
                    rated_by=rated_by,
                    rated_at=rated_at,
                )
            )
            changes.append(
                SkillRatingChange(
                    person=person,
                    skill=skill,
                    from_level=None,
                    to_level=level,
                    source=RatingSource.LEAD,
                    changed_by=rated_by,
                    changed_at=rated_at,
                )
            )
    SkillRating.objects.bulk_create(ratings)
    SkillRatingChange.objects.bulk_create(changes)


def certify_people(rng: random.Random, monday: dt.date, people: list[Person]) -> None:
    """Give some people certifications valid for two years; a few obtained long ago have lapsed."""
    kinds = CertificationType.objects.in_bulk([slug for slug, _, _ in CERTIFICATIONS], field_name="slug")
    professions = dict(Profession.objects.values_list("pk", "slug"))
    certifications = []
    for person in people:
        for slug, holders, chance in CERTIFICATIONS:
            if slug in kinds and professions[person.profession_id] in holders and rng.random() < chance:
                obtained_on = monday - dt.timedelta(days=rng.randint(30, 800))
                certifications.append(
                    Certification(
                        person=person,
                        kind=kinds[slug],
                        obtained_on=obtained_on,
                        expires_on=obtained_on + dt.timedelta(days=730),
                    )
                )
    Certification.objects.bulk_create(certifications)


def create_projects(monday: dt.date, templates: dict[str, ProjectTemplate], manager: User) -> list[Project]:
    """Make each demo project from its template and move it to its current phase.

    The moves go through the phase service, then are dated back to the weeks they happened in.
    """
    projects = []
    for spec in PROJECTS:
        starts_on = monday + dt.timedelta(weeks=spec.start_week)
        project = services.create_project(
            name=spec.name,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(weeks=spec.weeks, days=-1),
            template=templates[spec.template],
            actor=manager,
        )
        for to_phase, _, note in spec.moves:
            project = services.advance_phase(project=project, to=to_phase, note=note, actor=manager)
        transitions = list(project.transitions.order_by("id"))
        for transition, (_, week, _) in zip(transitions, spec.moves, strict=True):
            transition.moved_at = dt.datetime.combine(monday + dt.timedelta(weeks=week), dt.time(9, 30), tzinfo=dt.UTC)
        PhaseTransition.objects.bulk_update(transitions, ["moved_at"])
        projects.append(project)
    return projects


def staff_projects(
    rng: random.Random, projects: list[Project], people: list[Person], manager: User
) -> list[Assignment]:
    """Put people on the projects' slots in four patterns, through the assignment service.

    Patterns, slot by slot: fully confirmed; half confirmed plus a tentative; two tentatives; open.
    Confirmed people are the strongest of the profession who still have the allocation free, counting
    every confirmed allocation against their capacity, so the service never has to refuse one.
    """
    strength: dict[int, int] = {}
    for person_id, level in SkillRating.objects.filter(person__in=people).values_list("person_id", "level"):
        strength[person_id] = strength.get(person_id, 0) + level
    by_profession: dict[int, list[Person]] = {}
    for person in sorted(people, key=lambda p: (-strength[p.pk], p.name)):
        by_profession.setdefault(person.profession_id, []).append(person)
    free = {person.pk: person.capacity_fte for person in people}

    slots = RoleSlot.objects.filter(project__in=projects).order_by("project__starts_on", "profession__order", "id")
    assignments = []
    for index, slot in enumerate(slots):
        pattern = index % 4
        candidates = by_profession.get(slot.profession_id, [])
        picks: list[tuple[Person, Decimal, str]] = []
        confirmed = {0: slot.fte, 1: half(slot.fte)}.get(pattern, Decimal(0))
        chosen = next((p for p in candidates if free[p.pk] >= confirmed), None) if confirmed else None
        if chosen is not None:
            free[chosen.pk] -= confirmed
            picks.append((chosen, confirmed, AssignmentStatus.CONFIRMED))
        others = [p for p in candidates if p is not chosen]
        tentatives = {1: 1, 2: 2}.get(pattern, 0)
        for other in rng.sample(others, min(tentatives, len(others))):
            picks.append((other, slot.fte - confirmed, AssignmentStatus.TENTATIVE))
        for pick, allocation, status in picks:
            assignment = services.assign_person(
                slot=slot,
                person=pick,
                starts_on=slot.starts_on,
                ends_on=slot.ends_on,
                allocation=allocation,
                status=status,
                actor=manager,
            )
            assignments.append(assignment)
    return assignments


def link_viewer(users: dict[str, User], people: list[Person], assignments: list[Assignment]) -> None:
    """Make ``viewer`` an ordinary member of the lead's team, preferably one with an assignment to look at."""
    lead = next(p for p in people if p.user_id == users["lead"].pk)
    members = [p for p in people if p.team_id == lead.team_id and p != lead]
    assigned = {a.person_id for a in assignments}
    viewer = next((p for p in members if p.pk in assigned), members[0])
    viewer.user = users["viewer"]
    viewer.save(update_fields=["user", "updated_at"])


def half(fte: Decimal) -> Decimal:
    """Half of ``fte`` rounded down to a tenth, at least 0.1."""
    return max(Decimal("0.1"), (fte / 2).quantize(Decimal("0.1"), rounding=ROUND_DOWN))
