"""Load the demo organisation: five teams of staff, three projects in different phases, their staffing,
and the first reports a new user reads.

Running it again never destroys anyone's work. Every demo row is found by its natural key (usernames,
team names, people's e-mails, project names) and only what is missing is created: a row that exists,
changed or not, is left exactly as it is, ids included. A missing person comes with their ratings and
certifications, a missing project with its slots and staffing. ``reset_demo`` deletes the demo
organisation and loads it afresh.

Everything is planned from seeded random generators before the database is read, so every run plans
the same organisation; dates sit around the week it is loaded in, so the demo looks current. The
organisation has something to act on (``STORY``):

- experts (level 5) are rare and busy, while three slots ask for an expert, so the organisation report
  shows genuine gaps (demand above supply) at level 5;
- Imaging Analytics has one ML engineer, and nobody else there is rated above 2 in deployment and ML
  Ops, so its team report flags both skills (bus factor 1);
- that ML engineer is confirmed full time and proposed for the clinical deployment slot on top
  (over-committed), and their privacy training expires in about three weeks;
- about a fifth of the staff were last rated more than a year ago (due for review).

The nightly organisation report for today, and a report on the lead's team, are requested once when
they are missing (computed in-process without ``REDIS_URL``, else by the worker).
"""

import datetime as dt
import random
from argparse import ArgumentParser
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from config.errors import RuleError
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
from people.services import link_account
from projects import services
from projects.models import (
    Assignment,
    AssignmentStatus,
    Phase,
    PhaseTransition,
    Project,
    ProjectTemplate,
    RoleSlot,
)
from roles.models import Profession, SpectrumLevel
from skills.models import MAX_LEVEL, MIN_LEVEL, Skill
from staffing.models import Report
from staffing.services import ReportQueueUnavailable, request_nightly_organisation_report, request_report

DEFAULT_PASSWORD = "spectrum-demo"  # noqa: S105  the published password of the demo accounts
SEED = 2024
EMAIL_DOMAIN = "demo.spectrum.example"

DS, DA, DE, MLE = "data-scientist", "data-analyst", "data-engineer", "ml-engineer"

# Each team's members by profession, its lead first. Imaging Analytics has a single ML engineer.
TEAMS: dict[str, list[str]] = {
    "Imaging Analytics": [DS, DA, DE, MLE, DS, DA, DE, DS, DA, DE, DE, DS],
    "Clinical Outcomes": [DA, DE, MLE, DS] * 3,
    "Patient Experience": [MLE, DS, DA, DE] * 3,
    "Population Health": [DS, DA, DE, MLE] * 3,
    "Clinical Data Platform": [DE, MLE, DS, DA] * 3,
}
LEAD_TEAM = "Imaging Analytics"  # the team the ``lead`` user leads and the ``viewer`` user belongs to

# The demo sign-ins: username, group, and what they do.
ACCOUNTS = [
    ("manager", MANAGERS, "manager: runs projects, slots, assignments and people"),
    ("lead", LEADS, f"team lead of {LEAD_TEAM}: rates its people, reads and requests reports"),
    ("viewer", None, f"staff member of {LEAD_TEAM}: sees projects, their own ratings and assignments"),
]

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
RATED_DAYS_AGO = (7, 450)  # ratings were given this many days before the week the demo is loaded in
ROUTINE_TOP_LEVEL = 4  # only the experts named in STORY are rated 5
CERTIFICATE_YEARS = 2

# (certification slug, professions that may hold it, chance that one of them does)
CERTIFICATIONS = [
    ("privacy-hipaa", {DE, MLE, DS, DA}, 0.3),
    ("hl7-fhir", {DE, DA}, 0.25),
    ("cloud-ml", {MLE, DE}, 0.35),
]


@dataclass(frozen=True)
class Member:
    """A person the story needs: the ``index``-th member of ``profession`` in ``team`` (from 0)."""

    team: str
    profession: str
    index: int = 0


@dataclass(frozen=True)
class ExtraSlot:
    """A slot a manager opened beside the template's: it asks for experts (level 5)."""

    title: str
    profession: str
    phases: list[str]
    fte: Decimal
    requirements: dict[str, int]
    proposed: list[tuple[Member, Decimal]] = field(default_factory=list)  # tentative proposals


@dataclass(frozen=True)
class DemoProject:
    """A demo project: its template, name, start and length in weeks from this week, and its phase moves."""

    template: str
    name: str
    start_week: int
    weeks: int
    moves: list[tuple[str, int, str]]  # (to phase, week of the move, note)
    pinned: dict[str, Member] = field(default_factory=dict)  # a profession's first slot → who is confirmed on it
    extra_slots: list[ExtraSlot] = field(default_factory=list)


IMAGING_ML_ENGINEER = Member(LEAD_TEAM, MLE)
VIEWER = Member(LEAD_TEAM, DA, 1)  # the ``viewer`` user: an ordinary member of the lead's team
PLATFORM_DATA_ENGINEER = Member("Clinical Data Platform", DE, 1)


@dataclass(frozen=True)
class Story:
    """What makes the demo worth acting on (see the module's docstring)."""

    experts: dict[Member, list[str]]
    thin_skills: tuple[str, list[str], str]  # (team, skills nobody but ``profession`` has above 2, profession)
    expiring: tuple[Member, str, int]  # (who, certification, days after this Monday it expires)


STORY = Story(
    experts={IMAGING_ML_ENGINEER: ["deployment", "ml-ops"], PLATFORM_DATA_ENGINEER: ["databases", "data-pipelines"]},
    thin_skills=(LEAD_TEAM, ["deployment", "ml-ops"], MLE),
    expiring=(IMAGING_ML_ENGINEER, "privacy-hipaa", 24),
)

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
        pinned={MLE: IMAGING_ML_ENGINEER, DA: VIEWER},
        extra_slots=[
            ExtraSlot(
                "Clinical deployment lead",
                MLE,
                [Phase.IMPLEMENTATION],
                Decimal("1.00"),
                {"deployment": 5, "ml-ops": 5},
                proposed=[(IMAGING_ML_ENGINEER, Decimal("0.50"))],
            )
        ],
    ),
    DemoProject(
        "readmission-risk",
        "30-day readmission risk (medical wards)",
        -6,
        30,
        [(Phase.DATA_UNDERSTANDING, -2, "Target and success measures signed off by the discharge team.")],
        pinned={DE: PLATFORM_DATA_ENGINEER},
        extra_slots=[
            ExtraSlot(
                "EHR streaming pipelines",
                DE,
                [Phase.DATA_UNDERSTANDING, Phase.IMPLEMENTATION],
                Decimal("0.80"),
                {"data-pipelines": 5, "databases": 5},
            )
        ],
    ),
    DemoProject(
        "patient-feedback",
        "Patient feedback topics and sentiment",
        -1,
        28,
        [],
        extra_slots=[
            ExtraSlot(
                "Clinical language modelling",
                DS,
                [Phase.DATA_UNDERSTANDING, Phase.IMPLEMENTATION],
                Decimal("0.50"),
                {"ml-modelling": 5, "research": 5},
            )
        ],
    ),
]


# --- The plan: the same on every run, whatever the database holds ---------------------------------


@dataclass(frozen=True)
class PlannedPerson:
    name: str
    email: str
    team: str
    profession: str
    member: Member
    capacity: Decimal
    levels: dict[str, int]  # skill slug → level
    rated_days_ago: int
    certifications: list[tuple[str, int, int]]  # (slug, obtained days before Monday, expires days after Monday)


def demo_email(name: str) -> str:
    return ".".join(slugify(part) for part in name.split()) + "@" + EMAIL_DOMAIN


def plan_people(rng: random.Random, *, skills: list[str], spectrum: dict[tuple[str, str], int]) -> list[PlannedPerson]:
    """Five teams of twelve, each person rated near their profession's spectrum, as ``STORY`` says.

    Every person draws the same random numbers whatever the story changes afterwards, so the plan of
    one person never depends on another's.
    """
    size = sum(len(members) for members in TEAMS.values())
    names = [
        f"{first} {last}"
        for first, last in zip(rng.sample(FIRST_NAMES, size), rng.sample(LAST_NAMES, size), strict=True)
    ]
    thin_team, thin_skills, thin_profession = STORY.thin_skills
    expiring_member, expiring_kind, expiring_day = STORY.expiring
    planned: list[PlannedPerson] = []
    for team, professions in TEAMS.items():
        seen: dict[str, int] = {}
        for profession in professions:
            member = Member(team, profession, seen.get(profession, 0))
            seen[profession] = member.index + 1
            name = names[len(planned)]
            capacity = rng.choice(CAPACITIES)
            levels = {}
            for skill in skills:
                expected = spectrum.get((profession, skill), 0)
                level = expected + rng.choice((-1, 0, 0, 1))
                levels[skill] = min(ROUTINE_TOP_LEVEL, max(MIN_LEVEL, level))
            rated_days_ago = rng.randint(*RATED_DAYS_AGO)
            certifications = []
            for slug, holders, chance in CERTIFICATIONS:
                obtained = rng.randint(30, 800)
                if profession in holders and rng.random() < chance:
                    certifications.append((slug, obtained, CERTIFICATE_YEARS * 365 - obtained))

            expert_in = STORY.experts.get(member, [])
            for skill in expert_in:
                levels[skill] = MAX_LEVEL
            if expert_in:
                capacity = Decimal("1.0")
            if team == thin_team and profession != thin_profession:
                for skill in thin_skills:
                    levels[skill] = min(levels[skill], 2)
            if member == expiring_member:
                certifications = [c for c in certifications if c[0] != expiring_kind]
                certifications.append((expiring_kind, CERTIFICATE_YEARS * 365 - expiring_day, expiring_day))
            planned.append(
                PlannedPerson(
                    name=name,
                    email=demo_email(name),
                    team=team,
                    profession=profession,
                    member=member,
                    capacity=capacity,
                    levels=levels,
                    rated_days_ago=rated_days_ago,
                    certifications=certifications,
                )
            )
    return planned


# --- Loading --------------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What a run found and made: the demo rows by natural key, and how many of each it created."""

    users: dict[str, User] = field(default_factory=dict)
    people: dict[Member, Person] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    new_users: set[str] = field(default_factory=set)
    new_people: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def count(self, what: str, number: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + number


def load(*, password: str, reset: bool = False) -> Loaded:
    """Create whatever of the demo organisation is missing; keep everything that exists as it is.

    ``reset`` (``reset_demo``) first deletes the demo organisation (``clear_demo``) and gives the demo
    sign-ins ``password`` and their group again, in the same transaction.
    """
    templates = ProjectTemplate.objects.in_bulk([p.template for p in PROJECTS], field_name="slug")
    if len(templates) != len(PROJECTS):
        raise CommandError("The built-in project templates are missing: run `manage.py migrate` first.")
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    builtin = Skill.objects.filter(is_builtin=True).order_by("group__order", "order")
    skills = list(builtin.values_list("slug", flat=True))
    levels = SpectrumLevel.objects.values_list("profession__slug", "skill__slug", "level")
    spectrum = {(profession, skill): level for profession, skill, level in levels}
    plan = plan_people(random.Random(SEED), skills=skills, spectrum=spectrum)  # noqa: S311  seeded on purpose

    loaded = Loaded()
    with transaction.atomic():
        if reset:
            clear_demo()
        ensure_accounts(loaded, password=password, reset=reset)
        ensure_people(loaded, plan, monday=monday)
        link_accounts(loaded)
        ensure_projects(loaded, templates, monday=monday)
    request_first_reports(loaded, today=today)
    return loaded


def ensure_accounts(loaded: Loaded, *, password: str, reset: bool) -> None:
    """The demo sign-ins (``ACCOUNTS``); an existing account keeps its password and groups unless ``reset``."""
    groups = Group.objects.in_bulk([MANAGERS, LEADS], field_name="name")
    for username, group, _ in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@{EMAIL_DOMAIN}"})
        if created or reset:
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.set([groups[group]] if group else [])
        if created:
            loaded.new_users.add(username)
            loaded.count("accounts")
        loaded.users[username] = user


def ensure_people(loaded: Loaded, plan: list[PlannedPerson], *, monday: dt.date) -> None:
    """The demo teams and people; a person created now gets their ratings and certifications."""
    teams = {}
    for name in TEAMS:
        team, new = Team.objects.get_or_create(name=name)
        teams[name] = team
        loaded.count("teams", int(new))
    professions = Profession.objects.in_bulk(list({p.profession for p in plan}), field_name="slug")
    existing = {p.email.lower(): p for p in Person.objects.filter(email__in=[p.email for p in plan])}
    missing = [p for p in plan if p.email not in existing]
    created = Person.objects.bulk_create(
        Person(
            name=p.name,
            email=p.email,
            profession=professions[p.profession],
            team=teams[p.team],
            capacity_fte=p.capacity,
        )
        for p in missing
    )
    loaded.count("people", len(created))
    loaded.new_people = {person.pk for person in created}
    made = dict(zip((p.email for p in missing), created, strict=True))
    for planned in plan:
        loaded.people[planned.member] = existing.get(planned.email) or made[planned.email]

    # A team gets its lead when it has none and the lead was created now (a lead a user removed stays removed).
    for name, team in teams.items():
        lead = loaded.people[Member(name, TEAMS[name][0])]
        if team.lead_id is None and lead.pk in loaded.new_people:
            team.lead = lead
            team.save(update_fields=["lead"])

    lead_user = loaded.users["lead"]
    rate_people([(p, made[p.email]) for p in missing], monday=monday, lead_user=lead_user)
    certify_people([(p, made[p.email]) for p in missing], monday=monday)


def rate_people(people: list[tuple[PlannedPerson, Person]], *, monday: dt.date, lead_user: User) -> None:
    """Rate new people as planned, each rating recorded as a change; the lead rated their own team."""
    skills = Skill.objects.in_bulk(field_name="slug")
    ratings, changes = [], []
    for planned, person in people:
        rated_by = lead_user if planned.team == LEAD_TEAM else None
        rated_at = dt.datetime.combine(monday - dt.timedelta(days=planned.rated_days_ago), dt.time(10), tzinfo=dt.UTC)
        for slug, level in planned.levels.items():
            skill = skills[slug]
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


def certify_people(people: list[tuple[PlannedPerson, Person]], *, monday: dt.date) -> None:
    """Give new people their planned certifications (valid two years; some have lapsed, one expires soon)."""
    kinds = CertificationType.objects.in_bulk(field_name="slug")
    Certification.objects.bulk_create(
        Certification(
            person=person,
            kind=kinds[slug],
            obtained_on=monday - dt.timedelta(days=obtained),
            expires_on=monday + dt.timedelta(days=expires),
        )
        for planned, person in people
        for slug, obtained, expires in planned.certifications
        if slug in kinds
    )


def link_accounts(loaded: Loaded) -> None:
    """Link ``lead`` to their team's lead and ``viewer`` to a member of that team, when either was created
    now and both are free (an account or person a user unlinked on purpose stays unlinked)."""
    lead_person = loaded.people[Member(LEAD_TEAM, TEAMS[LEAD_TEAM][0])]
    viewer_person = loaded.people[VIEWER]
    for username, person in (("lead", lead_person), ("viewer", viewer_person)):
        user = loaded.users[username]
        fresh = username in loaded.new_users or person.pk in loaded.new_people
        if fresh and person.user_id is None and not Person.objects.filter(user=user).exists():
            link_account(person=person, user=user, actor=None)
            person.user = user


def ensure_projects(loaded: Loaded, templates: dict[str, ProjectTemplate], *, monday: dt.date) -> None:
    """Create each missing demo project from its template, move it to its phase and staff it."""
    existing = {p.name: p for p in Project.objects.filter(name__in=[spec.name for spec in PROJECTS])}
    for position, spec in enumerate(PROJECTS):
        project = existing.get(spec.name)
        if project is None:
            project = create_project(spec, templates[spec.template], monday=monday, manager=loaded.users["manager"])
            staff_project(loaded, spec, project, position=position, monday=monday)
            loaded.count("projects")
        loaded.projects.append(project)


def create_project(spec: DemoProject, template: ProjectTemplate, *, monday: dt.date, manager: User) -> Project:
    """Make a project from its template and move it to its current phase, through the services; the moves
    are then dated back to the weeks they happened in."""
    starts_on = monday + dt.timedelta(weeks=spec.start_week)
    project = services.create_project(
        name=spec.name,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(weeks=spec.weeks, days=-1),
        template=template,
        actor=manager,
    )
    for to_phase, _, note in spec.moves:
        project = services.advance_phase(project=project, to=to_phase, note=note, actor=manager)
    transitions = list(project.transitions.order_by("id"))
    for transition, (_, week, _) in zip(transitions, spec.moves, strict=True):
        transition.moved_at = dt.datetime.combine(monday + dt.timedelta(weeks=week), dt.time(9, 30), tzinfo=dt.UTC)
    PhaseTransition.objects.bulk_update(transitions, ["moved_at"])
    professions = Profession.objects.in_bulk([s.profession for s in spec.extra_slots], field_name="slug")
    for extra in spec.extra_slots:
        services.create_slot(
            project=project,
            profession=professions[extra.profession],
            phases=list(extra.phases),
            fte=extra.fte,
            starts_on=max(project.starts_on, monday),
            ends_on=project.ends_on,
            title=extra.title,
            requirements={slug: (level, Decimal("1")) for slug, level in extra.requirements.items()},
            actor=manager,
        )
    return project


def staff_project(loaded: Loaded, spec: DemoProject, project: Project, *, position: int, monday: dt.date) -> None:
    """Put people on a new project's slots through the assignment service.

    A profession's first slot may be pinned: its person is confirmed on all of it. An extra slot gets
    its planned proposals. The
    other slots follow four patterns in turn: fully confirmed; half confirmed plus a tentative; two
    tentatives; open. Confirmed people are the strongest of the profession with the allocation free;
    should the service refuse one (a user has booked them since), the next is tried. The story's
    experts are kept for their pinned slots and proposals.
    """
    rng = random.Random(f"{SEED}:{spec.name}")  # noqa: S311  seeded on purpose, one stream per project
    manager = loaded.users["manager"]
    experts = {loaded.people[member].pk for member in STORY.experts}
    people = [p for p in loaded.people.values() if p.pk not in experts]
    strength: dict[int, int] = {p.pk: 0 for p in people}
    for person_id, level in SkillRating.objects.filter(person__in=people).values_list("person_id", "level"):
        strength[person_id] += level
    by_profession: dict[int, list[Person]] = {}
    for person in sorted(people, key=lambda p: (-strength[p.pk], p.name)):
        by_profession.setdefault(person.profession_id, []).append(person)

    extra = {e.title: e for e in spec.extra_slots}
    pinned = dict(spec.pinned)
    slots = list(project.slots.select_related("profession").order_by("profession__order", "id"))
    for index, slot in enumerate(slots):
        if slot.title in extra:
            for member, allocation in extra[slot.title].proposed:
                person = loaded.people[member]
                starts_on = max(slot.starts_on, monday)
                assign(slot, person, allocation, AssignmentStatus.TENTATIVE, manager, starts_on=starts_on)
            continue
        if slot.profession.slug in pinned:
            person = loaded.people[pinned.pop(slot.profession.slug)]
            assign(slot, person, slot.fte, AssignmentStatus.CONFIRMED, manager)
            continue
        pattern = (position + index) % 4
        candidates = by_profession.get(slot.profession_id, [])
        confirmed = {0: slot.fte, 1: half(slot.fte)}.get(pattern, Decimal(0))
        chosen = None
        for candidate in candidates if confirmed else []:
            if assign(slot, candidate, confirmed, AssignmentStatus.CONFIRMED, manager):
                chosen = candidate
                break
        others = [p for p in candidates if p is not chosen]
        tentatives = {1: 1, 2: 2}.get(pattern, 0)
        for other in rng.sample(others, min(tentatives, len(others))):
            assign(slot, other, slot.fte - (confirmed if chosen else Decimal(0)), AssignmentStatus.TENTATIVE, manager)


def assign(
    slot: RoleSlot,
    person: Person,
    allocation: Decimal,
    status: str,
    manager: User,
    *,
    starts_on: dt.date | None = None,
) -> Assignment | None:
    """One assignment through the service; None when its rules refuse it (the demo then leaves it out)."""
    try:
        return services.assign_person(
            slot=slot,
            person=person,
            starts_on=starts_on or slot.starts_on,
            ends_on=slot.ends_on,
            allocation=allocation,
            status=status,
            actor=manager,
        )
    except RuleError:
        return None


def half(fte: Decimal) -> Decimal:
    """Half of ``fte`` rounded down to a tenth, at least 0.1."""
    return max(Decimal("0.1"), (fte / 2).quantize(Decimal("0.1"), rounding=ROUND_DOWN))


def request_first_reports(loaded: Loaded, *, today: dt.date) -> None:
    """Request today's nightly organisation report and a report on the lead's team, each when missing.

    They go through the report service like any request: computed here and now without ``REDIS_URL``,
    queued for ``make worker`` with it. Should the queue be unreachable, the demo loads without them.
    """
    team = Team.objects.filter(name=LEAD_TEAM).first()
    wanted: list[tuple[str, Any]] = []
    if not Report.objects.filter(kind=Report.Kind.ORGANISATION, requested_by=None, starts_on=today).exists():
        wanted.append(("organisation", request_nightly_organisation_report))
    if team is not None and not Report.objects.filter(kind=Report.Kind.TEAM, team=team).exists():
        wanted.append(
            (f"team ({team.name})", lambda: request_report(kind=Report.Kind.TEAM, team=team, requested_by=None))
        )
    for label, request in wanted:
        try:
            report = request()
        except ReportQueueUnavailable as unavailable:
            loaded.notes.append(f"The {label} report was not requested: {unavailable.message}")
            continue
        report.refresh_from_db()
        loaded.count("reports")
        status = report.get_status_display().lower()
        loaded.notes.append(f"Requested the {label} report (#{report.pk}); it is {status}.")


def clear_demo() -> None:
    """Delete the demo organisation for ``reset_demo``.

    Deleted: the demo projects (found by name) with their slots, assignments and reports; the demo
    people (found by their e-mail domain) with their ratings and certifications, and their assignments
    on any other project (those slots' unfilled FTE is then brought up to date); the reports on the
    demo teams and the nightly organisation reports, whose figures describe what is deleted. Kept: the
    demo teams (reused by name, so a team of the same name keeps its other members), every other
    person and project, and every account.
    """
    Project.objects.filter(name__in=[p.name for p in PROJECTS]).delete()
    people = Person.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    stray = Assignment.objects.filter(person__in=people)
    slot_ids = set(stray.values_list("slot_id", flat=True))
    stray.delete()
    for slot_id in sorted(slot_ids):
        services.refresh_unfilled_fte(slot_id=slot_id)
    people.delete()
    Report.objects.filter(kind=Report.Kind.TEAM, team__name__in=list(TEAMS)).delete()
    Report.objects.filter(kind=Report.Kind.ORGANISATION, requested_by=None).delete()


# --- The command ----------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Load the demo organisation: create whatever of it is missing and keep everything that exists, "
        "changed or not. `reset_demo` deletes it and loads it afresh."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password of the demo sign-ins it creates (an existing account keeps its own).",
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        loaded = load(password=password)
        report_loaded(self, loaded, password=password)


NOUNS = {
    "accounts": ("account", "accounts"),
    "teams": ("team", "teams"),
    "people": ("person", "people"),
    "projects": ("project", "projects"),
    "reports": ("report", "reports"),
}


def report_loaded(command: BaseCommand, loaded: Loaded, *, password: str) -> None:
    """Say what was created, and every demo sign-in with its role and password."""
    out = command.stdout
    people = list(loaded.people.values())
    confirmed = Assignment.objects.filter(person__in=people, status=AssignmentStatus.CONFIRMED).count()
    tentative = Assignment.objects.filter(person__in=people, status=AssignmentStatus.TENTATIVE).count()
    made = ", ".join(f"{n} {NOUNS[what][n != 1]}" for what, n in loaded.created.items() if n)
    made = made or "nothing: it was all there"
    out.write(
        f"Demo organisation: {len(TEAMS)} teams, {len(people)} people, {len(loaded.projects)} projects, "
        f"{RoleSlot.objects.filter(project__in=loaded.projects).count()} role slots, "
        f"{confirmed} confirmed and {tentative} tentative assignments of demo people."
    )
    out.write(f"Created now: {made}. Rows that already existed are kept as they are.")
    for note in loaded.notes:
        out.write(note)
    out.write("")
    out.write("Demo sign-ins:")
    width = max(len(username) for username, _, _ in ACCOUNTS)
    for username, _, role in ACCOUNTS:
        user = loaded.users[username]
        person = Person.objects.filter(user=user).first()
        who = f" (signed in as {person.name})" if person else ""
        same = username in loaded.new_users or user.check_password(password)
        kept = "" if same else "  [kept its own password: it was changed since]"
        out.write(f"  {username.ljust(width)}  {role}{who}{kept}")
    out.write(f"Password: {password}")
    out.write("Create an administrator of your own with: manage.py createsuperuser")
