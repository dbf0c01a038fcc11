import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from people.models import Person, SkillRating, SkillRatingChange, Team
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory, SkillRatingFactory, skill
from ui.formats import format_date

pytestmark = pytest.mark.django_db

GOOD = """name,email,profession,team,capacity_fte,statistics,ml-ops
Ada Byrne,ada@example.org,data-scientist,Imaging,0.8,4,
Ben Okafor,BEN@example.org,data-engineer,New Team,,2,3
"""


def run(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_people", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_creates_and_updates_people_by_email_with_their_ratings(tmp_path: Path, lead) -> None:
    ben = PersonFactory(name="Ben O.", email="ben@example.org")
    SkillRatingFactory(person=ben, skill=skill("statistics"), level=1)

    output = run(tmp_path, GOOD, "--rated-by", "lead")

    assert output == "Imported 1 new and 1 existing people; 3 rating(s) changed.\nNew teams: New Team.\n"
    people = {p.email: p for p in Person.objects.filter(email__in=["ada@example.org", "ben@example.org"])}
    assert (people["ada@example.org"].name, people["ada@example.org"].capacity_fte) == ("Ada Byrne", Decimal("0.80"))
    assert (people["ben@example.org"].name, people["ben@example.org"].team.name) == ("Ben Okafor", "New Team")
    assert dict(SkillRating.objects.filter(person=ben).values_list("skill__slug", "level")) == {
        "statistics": 2,
        "ml-ops": 3,
    }
    changes = SkillRatingChange.objects.filter(person=ben).order_by("skill__group__order", "skill__order")
    assert list(changes.values_list("skill__slug", "from_level", "to_level", "changed_by__username")) == [
        ("statistics", 1, 2, "lead"),
        ("ml-ops", None, 3, "lead"),
    ]


def test_a_file_with_any_problem_changes_nothing_and_lists_every_problem(tmp_path: Path) -> None:
    text = (
        "name,email,profession,team,capacity_fte,statistics,astrology\n"
        "Ada,ada@example.org,data-scientist,Imaging,1.5,7,1\n"
    )
    before = (Person.objects.count(), Team.objects.count(), SkillRating.objects.count())

    with pytest.raises(CommandError) as refused:
        run(tmp_path, text)

    assert str(refused.value) == (
        "Nothing was imported:\n  unknown column “astrology”: use name, email, profession, team, capacity_fte "
        "and skill slugs."
    )
    assert (Person.objects.count(), Team.objects.count(), SkillRating.objects.count()) == before


def test_row_problems_are_reported_by_line(tmp_path: Path) -> None:
    text = (
        "name,email,profession,capacity_fte,statistics\n"
        "Ada,ada@example.org,data-scientist,1.5,7\n"
        ",nobody,astronaut,,\n"
        "Ada again,ADA@example.org,data-analyst,,\n"
    )

    with pytest.raises(CommandError) as refused:
        run(tmp_path, text)

    assert str(refused.value).splitlines()[1:] == [
        "  line 2: capacity_fte must be a number from 0.10 to 1.00.",
        "  line 2: statistics must be a whole number from 0 to 5.",
        "  line 3: a name of 1 to 200 characters is required.",
        "  line 3: an email address is required; it identifies the person.",
        "  line 3: unknown profession “astronaut”.",
        "  line 4: ada@example.org appears more than once.",
    ]
    assert not Person.objects.filter(email__iexact="ada@example.org").exists()


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_people", str(tmp_path / "missing.csv"))


def test_a_capacity_below_the_confirmed_load_refuses_the_file_naming_the_line(tmp_path: Path) -> None:
    first = timezone.localdate() + dt.timedelta(days=7)
    ada = PersonFactory(name="Ada Byrne", email="ada@example.org", capacity_fte=Decimal("1.00"))
    AssignmentFactory(
        person=ada,
        slot=RoleSlotFactory(starts_on=first, ends_on=first + dt.timedelta(days=9)),
        allocation=Decimal("0.9"),
    )
    ben = PersonFactory(name="Ben O.", email="ben@example.org")
    text = (
        "name,email,profession,team,capacity_fte,statistics\n"
        "Ben Okafor,ben@example.org,data-engineer,New Team,0.5,4\n"
        "Ada Byrne,ada@example.org,data-scientist,,0.8,3\n"
    )
    before = (Person.objects.count(), Team.objects.count(), SkillRating.objects.count())

    with pytest.raises(CommandError) as refused:
        run(tmp_path, text)

    assert str(refused.value) == (
        f"Nothing was imported:\n  line 3: Ada Byrne is booked at 0.90 FTE on {format_date(first)}, "
        "above the new capacity of 0.80 FTE."
    )
    assert (Person.objects.count(), Team.objects.count(), SkillRating.objects.count()) == before
    ada.refresh_from_db()
    ben.refresh_from_db()
    assert (ada.capacity_fte, ben.name, ben.capacity_fte) == (Decimal("1.00"), "Ben O.", Decimal("1.00"))
