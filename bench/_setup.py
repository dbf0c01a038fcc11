"""Shared parts of the benchmarks: one PostgreSQL database per organisation size, loaded once.

``DATABASE_URL`` names the base database (e.g. ``postgres://postgres@127.0.0.1:5432/spectrum_bench``);
an organisation of N people lives in ``<name>_<N>``, created, migrated and loaded on first use and
reused afterwards. People, ratings, assignments and certifications go in with COPY.
"""

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/spectrum_bench"
YEAR = dt.date(2027, 1, 1)
FIRST_NAMES = [
    "Ada", "Ben", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas", "Kofi", "Lena", "Mei",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Abara", "Brandt", "Costa", "Dubois", "Eriksen", "Farouk", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski",
    "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Silva", "Tanaka", "Usman", "Varga",
]  # fmt: skip
# (profession, fte, first day, last day, certification required) of the benchmark project's slots, which
# overlap in time in several ways; the first is the slot the ranking benchmark ranks for.
SLOTS = [
    ("data-scientist", "1.00", dt.date(2027, 3, 1), dt.date(2027, 5, 31), True),
    ("data-analyst", "0.50", dt.date(2027, 3, 1), dt.date(2027, 4, 15), False),
    ("data-engineer", "0.80", dt.date(2027, 4, 1), dt.date(2027, 6, 30), True),
    ("ml-engineer", "0.60", dt.date(2027, 5, 1), dt.date(2027, 7, 31), False),
    ("data-scientist", "0.30", dt.date(2027, 3, 15), dt.date(2027, 3, 31), False),
    ("data-analyst", "0.40", dt.date(2027, 6, 1), dt.date(2027, 8, 31), True),
    ("data-engineer", "0.50", dt.date(2027, 4, 10), dt.date(2027, 5, 20), False),
    ("ml-engineer", "1.00", dt.date(2027, 7, 1), dt.date(2027, 9, 30), False),
]


def database_url(people: int) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_URL))
    return urlunsplit(base._replace(path=f"{base.path}_{people}"))


def run_children(script: str, sizes: Iterable[int], *extra: str) -> list[dict[str, Any]]:
    """Run ``script --people N`` against the database of each size; each prints one JSON line."""
    results = []
    for people in sizes:
        env = {**os.environ, "DATABASE_URL": database_url(people)}
        done = subprocess.run(  # noqa: S603
            [sys.executable, script, "--people", str(people), *extra],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(done.stderr)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def parse_arguments(description: str | None, *, runs: int) -> argparse.Namespace:
    """A benchmark's options: ``--runs``, and ``--people N``, with which ``run_children`` has it measure one size."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--people", type=int, help="measure one size in this process (the database must match)")
    parser.add_argument("--runs", type=int, default=runs)
    return parser.parse_args()


def ensure_database() -> None:
    import psycopg2  # noqa: PLC0415

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    connection = psycopg2.connect(urlunsplit(url._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    ensure_database()
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0)


def median_seconds(function: Callable[[], object], runs: int) -> float:
    function()  # warm up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(headers)]
    print("  ".join(header.rjust(width) for header, width in zip(headers, widths, strict=True)))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


# --- Loading an organisation ---------------------------------------------------------------------


def organisation_name(people: int) -> str:
    return f"Benchmark organisation of {people} people"


def load_organisation(people: int, seed: int = 7) -> None:
    """Load ``people`` people rated on every skill, their work and certificates, and the benchmark project.

    Skipped when the database already holds exactly this organisation.
    """
    from people.models import Person  # noqa: PLC0415
    from projects.models import Project  # noqa: PLC0415

    if Project.objects.filter(name=organisation_name(people)).exists() and Person.objects.count() == people:
        return
    started = time.perf_counter()
    _load(people, random.Random(seed))
    sys.stderr.write(f"loaded {people} people in {time.perf_counter() - started:.1f}s\n")


def _copy(cursor: Any, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else str(value) for value in row) + "\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _load(people: int, rng: random.Random) -> None:
    from django.db import connection, transaction  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from people.models import Certification, CertificationType, Person, SkillRating, Team  # noqa: PLC0415
    from projects.models import Assignment, Project, RoleSlot, SlotRequirement  # noqa: PLC0415
    from roles.models import Profession, SpectrumLevel  # noqa: PLC0415
    from skills.models import Skill  # noqa: PLC0415

    now = timezone.now().isoformat()
    professions = {p.slug: p.pk for p in Profession.objects.all()}
    skills = list(Skill.objects.order_by("group__order", "order").values_list("pk", flat=True))
    spectrum = {(level.profession_id, level.skill_id): level.level for level in SpectrumLevel.objects.all()}
    hipaa = CertificationType.objects.get(slug="privacy-hipaa").pk
    tables = [model._meta.db_table for model in (Team, Person, Project)]

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        teams = Team.objects.bulk_create(Team(name=f"Team {n:02d}") for n in range(40))
        others = [
            RoleSlot.objects.create(
                project=Project.objects.create(
                    name=f"Running project {n}", starts_on=YEAR, ends_on=dt.date(2027, 12, 31)
                ),
                profession_id=professions["data-scientist"],
                starts_on=YEAR,
                ends_on=dt.date(2027, 12, 31),
                in_implementation=True,
            )
            for n in range(30)
        ]
        profession_ids = list(professions.values())
        staff = [
            (
                pk,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "",
                rng.choice(profession_ids),
                rng.choice(teams).pk,
                rng.choice(["0.50", "0.80", "1.00", "1.00"]),
                now,
                now,
            )
            for pk in range(1, people + 1)
        ]
        _copy(
            cursor,
            Person._meta.db_table,
            ["id", "name", "email", "profession_id", "team_id", "capacity_fte", "created_at", "updated_at"],
            staff,
        )
        _copy(
            cursor,
            SkillRating._meta.db_table,
            ["person_id", "skill_id", "level", "source", "rated_at"],
            (
                (
                    pk,
                    skill_id,
                    max(0, min(5, spectrum.get((profession_id, skill_id), 1) + rng.randint(-2, 1))),
                    "lead",
                    now,
                )
                for pk, _, _, profession_id, *_ in staff
                for skill_id in skills
            ),
        )
        _copy(
            cursor,
            Assignment._meta.db_table,
            ["person_id", "slot_id", "starts_on", "ends_on", "allocation", "status", "created_at", "updated_at"],
            _assignments(staff, others, rng, now),
        )
        _copy(
            cursor,
            Certification._meta.db_table,
            ["person_id", "kind_id", "obtained_on", "expires_on"],
            _certifications(staff, hipaa, rng),
        )
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Person._meta.db_table}', 'id'), {people})")

        project = Project.objects.create(name=organisation_name(people), starts_on=YEAR, ends_on=dt.date(2027, 12, 31))
        for index, (profession, fte, starts_on, ends_on, certified) in enumerate(SLOTS):
            slot = RoleSlot.objects.create(
                project=project,
                title="Ranked slot" if index == 0 else "",
                profession_id=professions[profession],
                fte=fte,
                unfilled_fte=fte,
                starts_on=starts_on,
                ends_on=ends_on,
                in_implementation=True,
            )
            SlotRequirement.objects.bulk_create(
                SlotRequirement(slot=slot, skill_id=skill_id, level=max(1, level), weight=rng.choice(["0.5", "1", "2"]))
                for (profession_id, skill_id), level in spectrum.items()
                if profession_id == professions[profession]
            )
            if certified:
                slot.certifications.add(hipaa)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _assignments(
    staff: list[tuple[Any, ...]], slots: list[Any], rng: random.Random, now: str
) -> Iterable[tuple[Any, ...]]:
    for pk, *_, capacity, _, _ in staff:
        count = rng.choice([0, 1, 1, 2, 3])
        for _ in range(count):
            first = YEAR + dt.timedelta(days=rng.randint(0, 330))
            last = first + dt.timedelta(days=rng.randint(14, 120))
            allocation = rng.choice(
                [a for a in ("0.10", "0.20", "0.30", "0.50") if float(a) * count <= float(capacity)] or ["0.10"]
            )
            status = rng.choice(["confirmed", "confirmed", "tentative"])
            yield (pk, rng.choice(slots).pk, first, last, allocation, status, now, now)


def _certifications(staff: list[tuple[Any, ...]], kind: int, rng: random.Random) -> Iterable[tuple[Any, ...]]:
    for pk, *_ in staff:
        if rng.random() < 0.4:
            obtained = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 800))
            expires = None if rng.random() < 0.3 else obtained + dt.timedelta(days=rng.choice([365, 730, 1095]))
            yield (pk, kind, obtained, expires)
