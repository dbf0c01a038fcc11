"""``make run`` twice, on the SQLite file it uses, around a user's day of work: the work is all still there.

The steps run as ``make run`` runs them (``manage.py migrate`` and ``load_demo`` in a fresh process, with
the product's own settings, no Redis, so reports are computed in-process), on a database file in a
temporary folder.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# A user's day through the services: a new slot, someone confirmed on it, a phase move, a rating and
# a report. Prints the ids and values to look for afterwards.
USERS_DAY = """
import json
from decimal import Decimal
from django.contrib.auth.models import User
from people.models import Person
from people.services import set_ratings
from projects import services
from projects.models import Phase, Project
from roles.models import Profession
from staffing.services import request_report

manager, lead = User.objects.get(username="manager"), User.objects.get(username="lead")
project = Project.objects.get(name="Patient feedback topics and sentiment")
analyst = Profession.objects.get(slug="data-analyst")
slot = services.create_slot(project=project, profession=analyst, phases=["data-understanding"],
                            fte=Decimal("0.30"), title="Survey coding", actor=manager)
person = Person.objects.filter(profession=analyst, assignments__isnull=True).order_by("pk").first()
assignment = services.assign_person(slot=slot, person=person, starts_on=slot.starts_on, ends_on=slot.ends_on,
                                    allocation=Decimal("0.30"), status="confirmed", actor=manager)
services.advance_phase(project=project, to=Phase.DATA_UNDERSTANDING, actor=manager)
member = Person.objects.filter(team__lead__user=lead).exclude(user=lead).order_by("pk").first()
set_ratings(person=member, levels={"storytelling": 5}, actor=lead)
report = request_report(kind="project", project=project, requested_by=lead)
print(json.dumps({"project": project.pk, "slot": slot.pk, "assignment": assignment.pk, "member": member.pk,
                  "report": report.pk}))
"""


def manage(database: Path, *args: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "ERROR"}
    finished = subprocess.run(  # noqa: S603  our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def table_rows(database: Path) -> dict[str, list[int]]:
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            table: [row[0] for row in connection.execute(f'SELECT rowid FROM "{table}" ORDER BY rowid')]  # noqa: S608
            for table in tables
            if table not in {"django_session", "sqlite_sequence"}
        }


def test_make_run_twice_keeps_a_users_work_on_sqlite(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    manage(database, "migrate", "--noinput")
    first = manage(database, "load_demo")
    ids = json.loads(manage(database, "shell", "-c", USERS_DAY).strip().splitlines()[-1])
    before = table_rows(database)

    again = manage(database, "load_demo")

    assert table_rows(database) == before
    assert "Demo sign-ins:" in first
    assert "Password: spectrum-demo" in first
    assert "Created now: nothing: it was all there." in again
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT phase FROM projects_project WHERE id = ?", [ids["project"]]).fetchall() == [
            ("data-understanding",)
        ]
        assert connection.execute("SELECT title FROM projects_roleslot WHERE id = ?", [ids["slot"]]).fetchall() == [
            ("Survey coding",)
        ]
        assert connection.execute(
            "SELECT status FROM projects_assignment WHERE id = ?", [ids["assignment"]]
        ).fetchall() == [("confirmed",)]
        assert connection.execute(
            "SELECT level FROM people_skillrating r JOIN skills_skill s ON s.id = r.skill_id "
            "WHERE r.person_id = ? AND s.slug = 'storytelling'",
            [ids["member"]],
        ).fetchall() == [(5,)]
        assert connection.execute("SELECT status FROM staffing_report WHERE id = ?", [ids["report"]]).fetchall() == [
            ("done",)
        ]
