"""Import people and their skill ratings from a CSV file (see ``people.services.import_people``)."""

import csv
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from people.services import ImportRefused, import_people


class Command(BaseCommand):
    help = (
        "Create or update people, matched by email, and their ratings from a CSV file with the columns "
        "name, email, profession, team, capacity_fte and one column per skill slug (levels 0–5). "
        "The whole file is refused, changing nothing, if any row has a problem."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file (UTF-8, with a header row)")
        parser.add_argument("--rated-by", help="username recorded as the giver of the imported ratings")

    def handle(self, *args: Any, path: Path, rated_by: str | None, **options: Any) -> None:
        actor = None
        if rated_by:
            actor = User.objects.filter(username=rated_by).first()
            if actor is None:
                raise CommandError(f"There is no user called “{rated_by}”.")
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                summary = import_people(header=list(reader.fieldnames or []), rows=reader, actor=actor)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{path} is not a readable UTF-8 CSV file: {exc}.") from exc
        except ImportRefused as refused:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(refused.problems)) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.created} new and {summary.updated} existing people; "
                f"{summary.ratings_changed} rating(s) changed."
            )
        )
        if summary.teams_created:
            self.stdout.write(f"New teams: {', '.join(summary.teams_created)}.")
