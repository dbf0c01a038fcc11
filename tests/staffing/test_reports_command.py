"""``manage.py report``: a report computed on the spot and printed as the export's tables, aligned."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    TeamFactory,
    skill,
)

pytestmark = pytest.mark.django_db

D = dt.date


def report(*args: str) -> list[str]:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue().splitlines()


def table_after(lines: list[str], title: str) -> list[str]:
    """The lines of the table printed under ``title``: headings, rule and rows."""
    start = lines.index(title) + 2
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def titles(lines: list[str]) -> list[str]:
    """The tables' titles: each line that follows a blank line and is followed by one."""
    return [lines[i] for i in range(1, len(lines) - 1) if not lines[i - 1] and not lines[i + 1] and lines[i]]


def test_the_organisation_report_prints_the_export_tables_gaps_and_weekly_demand() -> None:
    slot = RoleSlotFactory(
        project=ProjectFactory(starts_on=D(2027, 1, 4), ends_on=D(2027, 1, 31)),
        fte=Decimal("1.00"),
        in_data_understanding=False,
        in_implementation=False,
    )
    SlotRequirementFactory(slot=slot, skill=skill("statistics"), level=4)
    SkillRatingFactory(person=PersonFactory(capacity_fte=Decimal("0.50")), skill=skill("statistics"), level=5)

    lines = report("organisation", "--from", "2027-01-04", "--to", "2027-01-10")

    assert lines[0] == "Organisation skill gaps, 2027-01-04 to 2027-01-10"
    assert titles(lines) == ["Skill gaps", "Weekly unfilled demand"]
    gaps = table_after(lines, "Skill gaps")
    everyone = "Data scientist, Data analyst, Data engineer, ML engineer"
    assert gaps[:7] == [
        "Skill               Level  Demand (FTE)  Supply (FTE)  Gap (FTE)  Professions to consider",
        f"------------------  -----  ------------  ------------  ---------  {'-' * len(everyone)}",
        f"Statistics              1          1.00          0.50       0.50  {everyone}",
        f"Statistics              2          1.00          0.50       0.50  {everyone}",
        "Statistics              3          1.00          0.50       0.50  Data scientist",
        "Statistics              4          1.00          0.50       0.50  Data scientist",
        "Statistics              5          0.00          0.50      -0.50  –",
    ]
    assert len(gaps) == 2 + 12 * 5 + 1  # headings, rule, a row per skill and level, and the note
    assert gaps[-1].startswith("Gap: demand minus supply at that level or above; positive where people are short.")
    assert table_after(lines, "Weekly unfilled demand") == [
        "Week starting  Phase                  Unfilled FTE",
        "-------------  ---------------------  ------------",
        "2027-01-04     Problem understanding          1.00",
        "2027-01-04     Data understanding             0.00",
        "2027-01-04     Implementation                 0.00",
    ]


def test_the_project_report_prints_phase_coverage_the_unfilled_slots_and_training() -> None:
    project = ProjectFactory(name="Readmissions", starts_on=D(2027, 1, 4), ends_on=D(2027, 3, 31))
    slot = RoleSlotFactory(project=project, in_data_understanding=False, in_implementation=False)
    SlotRequirementFactory(slot=slot, skill=skill("statistics"), level=4)
    ann = PersonFactory(name="Ann Adeyemi")
    SkillRatingFactory(person=ann, skill=skill("statistics"), level=2)
    AssignmentFactory(person=ann, slot=slot, allocation=Decimal("0.50"))

    lines = report("project", "--project", str(project.pk))

    assert lines[0] == f"Project skill gaps: Readmissions (id {project.pk})"
    assert titles(lines) == ["Phase coverage", "Unfilled slots", "Training suggestions"]
    coverage = table_after(lines, "Phase coverage")
    assert coverage[:3] == [
        "Phase                  Skill               Required level  Covered level  Gap (levels)",
        "---------------------  ------------------  --------------  -------------  ------------",
        "Problem understanding  Statistics                       4              2             2",
    ]
    assert len(coverage) == 2 + 3 * 12  # a row per phase and skill
    assert coverage[-1] == "Implementation         Storytelling                     0              0             0"
    assert table_after(lines, "Unfilled slots") == [
        "Slot id  Slot            From        To          Unfilled FTE",
        "-------  --------------  ----------  ----------  ------------",
        f"{slot.pk:>7}  Data scientist  2027-01-04  2027-03-31          0.50",
    ]
    assert table_after(lines, "Training suggestions") == [
        "Person id  Person       Skill       From level  To level  Gap closed (levels)",
        "---------  -----------  ----------  ----------  --------  -------------------",
        f"{ann.pk:>9}  Ann Adeyemi  Statistics           2         3                 1.00",
        "Gap closed: one level on each slot the person works on or is among the top three candidates for that asks "
        "for more of the skill than they have, counted at the weight the slot gives the skill (1 unless the slot "
        "says otherwise). The largest first.",
    ]


def test_the_team_report_prints_each_skill_and_each_member_with_the_notes() -> None:
    team = TeamFactory(name="Imaging")
    ann = PersonFactory(name="Ann", team=team)
    SkillRatingFactory(person=ann, skill=skill("statistics"), level=3)

    lines = report("team", "--team", str(team.pk))

    assert lines[0] == f"Team skill report: Imaging (id {team.pk}), 1 member"
    assert titles(lines) == ["Skills", "Members"]
    skills = table_after(lines, "Skills")
    assert skills[:3] == [
        "Skill               Mean shortfall  Meeting their level  Bus factor  Flagged",
        "------------------  --------------  -------------------  ----------  -------",
        "Statistics                  1.0000                    0           1  yes",
    ]
    assert skills[-1] == (
        "Mean shortfall: levels below the member's profession, averaged over the team. Meeting their level: "
        "members rated at or above it. Bus factor: members rated 3 or more; flagged when below 2."
    )
    members = table_after(lines, "Members")
    # A data scientist expected at 4, 4, 4, 4, 2, 2, 2, 2, 3, 3, 3, 3: a row per skill.
    assert members[:4] == [
        "Person id  Person  Skill               Rating  Expected level  Shortfall (levels)",
        "---------  ------  ------------------  ------  --------------  ------------------",
        f"{ann.pk:>9}  Ann     Statistics               3               4                   1",
        f"{ann.pk:>9}  Ann     ML modelling             0               4                   4",
    ]
    assert len(members) == 2 + 12


def test_a_team_without_members_prints_empty_tables() -> None:
    team = TeamFactory(name="Empty")

    lines = report("team", "--team", str(team.pk))

    assert lines[0] == f"Team skill report: Empty (id {team.pk}), 0 members"
    assert table_after(lines, "Members") == ["No rows."]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["organisation", "--from", "2027-01-04"], "The organisation report needs --from and --to."),
        (
            ["organisation", "--from", "4 Jan", "--to", "2027-01-10"],
            "--from: “4 Jan” is not a date; write it as YYYY-MM-DD.",
        ),
        (["organisation", "--from", "2027-01-10", "--to", "2027-01-04"], "--to must not be before --from."),
        (["project"], "A project report needs --project <id>."),
        (["project", "--project", "987654"], "There is no project with id 987654."),
        (["team", "--team", "987654"], "There is no team with id 987654."),
        (
            ["company"],
            "Error: argument kind: invalid choice: 'company' (choose from 'project', 'team', 'organisation')",
        ),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        report(*args)

    assert str(refused.value) == message
