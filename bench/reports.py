"""Benchmark: the organisation report over 52 weeks for 10,000 people and 2,000 role slots.

It prints the median time of ``compute_organisation_report`` beside a floor measured in the same
run: the same columns fetched through a bare cursor into NumPy arrays, plus the same arithmetic
(``organisation_figures``) on arrays loaded beforehand. The goal is a report within 2× the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spectrum_bench .venv/bin/python bench/reports.py

The organisation report reads the whole organisation, so the benchmark keeps a database of its own
beside the one ``DATABASE_URL`` names (``spectrum_bench_reports`` here). It is created and migrated
when missing, and the synthetic organisation (seeded, so the same every time) is loaded once and
reused by later runs.
"""

import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
BASE_URL = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spectrum_bench"))
os.environ["DATABASE_URL"] = urlunsplit(BASE_URL._replace(path=f"{BASE_URL.path}_reports"))

import django  # noqa: E402

django.setup()  # settings only: the database is created, if need be, before the first query

import numpy as np  # noqa: E402
import psycopg2  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from people.models import Person, RatingSource, SkillRating, Team  # noqa: E402
from projects.models import Assignment, AssignmentStatus, Project, RoleSlot, SlotRequirement  # noqa: E402
from roles.models import Profession, SpectrumLevel  # noqa: E402
from skills.models import Skill  # noqa: E402
from staffing.reports import (  # noqa: E402
    Organisation,
    compute_organisation_report,
    organisation_figures,
    organisation_result,
)

PEOPLE = 10_000
SLOTS = 2_000
SLOTS_PER_PROJECT = 10
STARTS_ON = dt.date(2027, 1, 4)
ENDS_ON = STARTS_ON + dt.timedelta(weeks=52, days=-1)
RUNS = 7
TEAM = "Benchmark organisation"
SEED = 2027


def ensure_database(url: str) -> None:
    """Create the database ``url`` names if it does not exist yet."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password or "",
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def load_organisation() -> None:
    """Bulk-load the synthetic organisation unless an earlier run left it in place."""
    if Person.objects.filter(team__name=TEAM).count() == PEOPLE and RoleSlot.objects.count() == SLOTS:
        return
    started = time.perf_counter()
    random = np.random.default_rng(SEED)
    now = timezone.now()
    skills = list(Skill.objects.order_by("group__order", "order", "name"))
    professions = list(Profession.objects.order_by("order"))
    spectrum = {(level.profession_id, level.skill_id): level.level for level in SpectrumLevel.objects.all()}

    def day(offset: int) -> dt.date:
        return STARTS_ON + dt.timedelta(days=int(offset))

    with transaction.atomic():
        Assignment.objects.all().delete()
        Project.objects.all().delete()
        Person.objects.all().delete()
        team = Team.objects.get_or_create(name=TEAM)[0]

        kinds = random.integers(0, len(professions), PEOPLE)
        capacity = random.choice(["0.50", "0.80", "1.00", "1.00"], PEOPLE)
        people = Person.objects.bulk_create(
            [
                Person(name=f"Person {n:05d}", team=team, profession=professions[k], capacity_fte=c)
                for n, (k, c) in enumerate(zip(kinds, capacity, strict=True))
            ],
            batch_size=5000,
        )
        noise = random.integers(-2, 3, (PEOPLE, len(skills)))
        SkillRating.objects.bulk_create(
            [
                SkillRating(person=person, skill=known, level=level, source=RatingSource.LEAD, rated_at=now)
                for person, row in zip(people, noise, strict=True)
                for known, change in zip(skills, row, strict=True)
                if (level := min(5, max(0, spectrum.get((person.profession_id, known.pk), 0) + int(change)))) > 0
            ],
            batch_size=10_000,
        )

        projects = []
        for n in range(SLOTS // SLOTS_PER_PROJECT):
            first = int(random.integers(-90, 330))
            projects.append(
                Project(
                    name=f"Project {n:03d}", starts_on=day(first), ends_on=day(first + int(random.integers(60, 240)))
                )
            )
        projects = Project.objects.bulk_create(projects)
        slots = []
        for project in projects:
            span = (project.ends_on - project.starts_on).days
            for _ in range(SLOTS_PER_PROJECT):
                first = int(random.integers(0, span // 2))
                last = int(random.integers(first, span + 1))
                phases = random.random(3) < 0.5
                phases[random.integers(0, 3)] = True
                fte = f"{random.integers(2, 11) / 10:.2f}"
                slots.append(
                    RoleSlot(
                        project=project,
                        profession=professions[random.integers(0, len(professions))],
                        fte=fte,
                        unfilled_fte=fte,
                        starts_on=project.starts_on + dt.timedelta(days=first),
                        ends_on=project.starts_on + dt.timedelta(days=last),
                        in_problem_understanding=phases[0],
                        in_data_understanding=phases[1],
                        in_implementation=phases[2],
                        closed_at=now if random.random() < 0.1 else None,
                    )
                )
        slots = RoleSlot.objects.bulk_create(slots, batch_size=5000)
        SlotRequirement.objects.bulk_create(
            [
                SlotRequirement(slot=slot, skill=known, level=level)
                for slot in slots
                for known in skills
                if (level := min(5, spectrum.get((slot.profession_id, known.pk), 0) + int(random.integers(0, 2)))) > 0
            ],
            batch_size=10_000,
        )
        assignments = []
        for slot in slots:
            for _ in range(int(random.integers(0, 5))):
                span = (slot.ends_on - slot.starts_on).days
                first = int(random.integers(0, span + 1))
                assignments.append(
                    Assignment(
                        person=people[random.integers(0, PEOPLE)],
                        slot=slot,
                        starts_on=slot.starts_on + dt.timedelta(days=first),
                        ends_on=slot.starts_on + dt.timedelta(days=int(random.integers(first, span + 1))),
                        allocation=f"{random.integers(1, 6) / 10:.2f}",
                        status=AssignmentStatus.CONFIRMED if random.random() < 0.8 else AssignmentStatus.TENTATIVE,
                    )
                )
        Assignment.objects.bulk_create(assignments, batch_size=10_000)
    print(f"Loaded the synthetic organisation in {time.perf_counter() - started:.1f} s")


# --- The floor: a bare cursor and the same arithmetic -------------------------------------------

FLOOR_QUERIES = {
    "slots": """SELECT s.id, round(s.fte * 100)::int, s.starts_on - %(start)s, s.ends_on - %(start)s,
        s.in_problem_understanding::int, s.in_data_understanding::int, s.in_implementation::int
        FROM projects_roleslot s
        WHERE s.closed_at IS NULL AND s.starts_on <= %(end)s AND s.ends_on >= %(start)s ORDER BY s.id""",
    "covering": """SELECT a.slot_id, a.starts_on - %(start)s, a.ends_on - %(start)s, round(a.allocation * 100)::int
        FROM projects_assignment a JOIN projects_roleslot s ON s.id = a.slot_id
        WHERE a.status = 'confirmed'
        AND s.closed_at IS NULL AND s.starts_on <= %(end)s AND s.ends_on >= %(start)s""",
    "requirements": """SELECT r.slot_id, r.skill_id, r.level
        FROM projects_slotrequirement r JOIN projects_roleslot s ON s.id = r.slot_id
        WHERE r.level >= 1 AND s.closed_at IS NULL AND s.starts_on <= %(end)s AND s.ends_on >= %(start)s""",
    "people": "SELECT id, round(capacity_fte * 100)::int FROM people_person ORDER BY id",
    "ratings": "SELECT person_id, skill_id, level FROM people_skillrating WHERE level >= 1",
    "loads": """SELECT person_id, starts_on - %(start)s, ends_on - %(start)s, round(allocation * 100)::int
        FROM projects_assignment WHERE status = 'confirmed' AND starts_on <= %(end)s AND ends_on >= %(start)s""",
    "skills": """SELECT s.id, s.slug FROM skills_skill s JOIN skills_skillgroup g ON g.id = s.group_id
        ORDER BY g."order", s."order", s.name""",
    "spectrum": """SELECT p.slug, l.skill_id, l.level FROM roles_spectrumlevel l
        JOIN roles_profession p ON p.id = l.profession_id WHERE l.level >= 1 ORDER BY p."order", p.name""",
}


def fetch_floor() -> Organisation:
    """The organisation report's inputs through a bare cursor, as the report's ``Organisation``."""
    params = {"start": STARTS_ON, "end": ENDS_ON}
    rows = {}
    with connection.cursor() as cursor:
        for name, sql in FLOOR_QUERIES.items():
            cursor.execute(sql, params)
            rows[name] = cursor.fetchall()

    def ints(name: str, width: int) -> np.ndarray:
        flat = np.fromiter(chain.from_iterable(rows[name]), dtype=np.int64, count=width * len(rows[name]))
        return flat.reshape(len(rows[name]), width)

    slots, covering, requirements = ints("slots", 7), ints("covering", 4), ints("requirements", 3)
    people, ratings, loads = ints("people", 2), ints("ratings", 3), ints("loads", 4)
    skill_ids = np.array([pk for pk, _ in rows["skills"]], dtype=np.int64)
    column = np.zeros(skill_ids.max() + 1, dtype=np.int64)
    column[skill_ids] = np.arange(len(skill_ids))
    professions = list(dict.fromkeys(slug for slug, _, _ in rows["spectrum"]))
    spectrum = np.zeros((len(professions), len(skill_ids)), dtype=np.int64)
    for slug, skill_id, level in rows["spectrum"]:
        spectrum[professions.index(slug), column[skill_id]] = level
    return Organisation(
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        skills=[slug for _, slug in rows["skills"]],
        professions=professions,
        spectrum=spectrum,
        slot_fte=slots[:, 1],
        slot_first=slots[:, 2],
        slot_last=slots[:, 3],
        slot_phases=slots[:, 4:].astype(bool),
        covering=np.column_stack([np.searchsorted(slots[:, 0], covering[:, 0]), covering[:, 1:]]),
        requirements=np.column_stack(
            [np.searchsorted(slots[:, 0], requirements[:, 0]), column[requirements[:, 1]], requirements[:, 2]]
        ),
        capacity=people[:, 1],
        loads=np.column_stack([np.searchsorted(people[:, 0], loads[:, 0]), loads[:, 1:]]),
        ratings=np.column_stack([np.searchsorted(people[:, 0], ratings[:, 0]), column[ratings[:, 1]], ratings[:, 2]]),
    )


def median_ms(work: Callable[[], object], runs: int = RUNS) -> float:
    work()  # warm up: caches, query plans, imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    load_organisation()

    preloaded = fetch_floor()
    report = compute_organisation_report(starts_on=STARTS_ON, ends_on=ENDS_ON)
    if organisation_result(preloaded, organisation_figures(preloaded)) != report:
        raise SystemExit("The floor and the report disagree; the comparison would mean nothing.")

    fetch = median_ms(fetch_floor)
    arithmetic = median_ms(lambda: organisation_figures(preloaded))
    whole = median_ms(lambda: compute_organisation_report(starts_on=STARTS_ON, ends_on=ENDS_ON))
    floor = fetch + arithmetic

    print(
        f"Organisation report, {STARTS_ON} to {ENDS_ON} (52 weeks): {len(preloaded.capacity):,} people, "
        f"{len(preloaded.ratings):,} ratings, {len(preloaded.slot_fte):,} open slots in range, "
        f"{len(preloaded.requirements):,} requirements, {len(preloaded.loads):,} confirmed assignments in range; "
        f"median of {RUNS} runs"
    )
    rows = [
        ("floor: SQL fetch through a bare cursor", f"{fetch:.1f}"),
        ("floor: arithmetic on preloaded arrays", f"{arithmetic:.1f}"),
        ("floor", f"{floor:.1f}"),
        ("compute_organisation_report", f"{whole:.1f}"),
        ("ratio (goal ≤ 2.0×)", f"{whole / floor:.2f}×"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"{'':{width}}  {'ms':>8}")
    for label, value in rows:
        print(f"{label:{width}}  {value:>8}")


if __name__ == "__main__":
    main()
