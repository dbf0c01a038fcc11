"""Delete the demo organisation, with every change made to it, and load it afresh, after asking
(``--no-input`` skips the question, as ``flush`` does). What goes and what stays:
``load_demo.clear_demo``; the demo sign-ins get the password and group they started with again."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from staffing.management.commands.load_demo import DEFAULT_PASSWORD, load, report_loaded

QUESTION = (
    "This deletes the demo organisation (its projects, people, their ratings, assignments and reports) "
    "with every change made to it, and loads it afresh.\n"
    "Type 'yes' to continue, or anything else to cancel: "
)


class Command(BaseCommand):
    help = "Delete the demo organisation, with every change made to it, and load it afresh. Asks first."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password the demo sign-ins get again.")

    def handle(self, *args: Any, interactive: bool, password: str, **options: Any) -> None:
        if interactive and not confirmed():
            self.stdout.write("Reset cancelled: nothing was changed.")
            return
        loaded = load(password=password, reset=True)
        report_loaded(self, loaded, password=password)


def confirmed() -> bool:
    """Whether the person at the terminal typed ``yes`` (no terminal input counts as no)."""
    try:
        return input(QUESTION).strip().lower() == "yes"
    except EOFError:
        return False
