"""``manage.py report``: a report computed on the spot and printed as aligned tables."""

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
    """The lines of the table printed under ``title``: header, rule and rows."""
    start = lines.index(title) + 2
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def test_the_organisation_report_prints_the_gap_table_and_the_weekly_demand() -> None:
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
    gaps = table_after(lines, "Gaps (FTE; a positive gap means train or hire)")
    assert gaps[:7] == [
        "skill               level  demand  supply    gap  professions to hire",
        "------------------  -----  ------  ------  -----  --------------------------------------------------------",
        "statistics              1    1.00    0.50   0.50  data-scientist, data-analyst, data-engineer, ml-engineer",
        "statistics              2    1.00    0.50   0.50  data-scientist, data-analyst, data-engineer, ml-engineer",
        "statistics              3    1.00    0.50   0.50  data-scientist",
        "statistics              4    1.00    0.50   0.50  data-scientist",
        "statistics              5    0.00    0.50  -0.50  –",
    ]
    assert len(gaps) == 2 + 12 * 5
    assert table_after(lines, "Unfilled FTE by week and phase") == [
        "week        problem-understanding  data-understanding  implementation",
        "----------  ---------------------  ------------------  --------------",
        "2027-01-04                   1.00                0.00            0.00",
    ]


def test_the_project_report_prints_each_phase_the_unfilled_slots_and_training() -> None:
    project = ProjectFactory(name="Readmissions", starts_on=D(2027, 1, 4), ends_on=D(2027, 3, 31))
    slot = RoleSlotFactory(project=project, in_data_understanding=False, in_implementation=False)
    SlotRequirementFactory(slot=slot, skill=skill("statistics"), level=4)
    ann = PersonFactory(name="Ann Adeyemi")
    SkillRatingFactory(person=ann, skill=skill("statistics"), level=2)
    AssignmentFactory(person=ann, slot=slot, allocation=Decimal("0.50"))

    lines = report("project", "--project", str(project.pk))

    assert lines[0] == f"Project skill gaps: Readmissions (id {project.pk})"
    assert table_after(lines, "Phase: problem-understanding") == [
        "skill       required  covered  gap",
        "----------  --------  -------  ---",
        "statistics         4        2    2",
    ]
    assert table_after(lines, "Phase: implementation") == ["Nothing required."]
    assert table_after(lines, "Unfilled slots") == [
        "slot  unfilled FTE",
        "----  ------------",
        f"{slot.pk:>4}          0.50",
    ]
    name = f"Ann Adeyemi ({ann.pk})"
    assert table_after(lines, "Training suggestions") == [
        f"{'person':{len(name)}}  skill       from  to  gain",
        f"{'-' * len(name)}  ----------  ----  --  ----",
        f"{name}  statistics     2   3  1.00",
    ]


def test_the_team_report_prints_each_skill_and_each_member() -> None:
    team = TeamFactory(name="Imaging")
    ann = PersonFactory(name="Ann", team=team)
    SkillRatingFactory(person=ann, skill=skill("statistics"), level=3)

    lines = report("team", "--team", str(team.pk))

    assert lines[0] == f"Team skill report: Imaging (id {team.pk}), 1 member"
    skills = table_after(lines, "Skills (bus factor: members rated 3 or more; flagged below 2)")
    assert skills[:3] == [
        "skill               mean shortfall  meeting  bus factor  flagged",
        "------------------  --------------  -------  ----------  -------",
        "statistics                  1.0000        0           1  yes",
    ]
    members = table_after(lines, "Members (the skills below their profession's spectrum, as rating → expected)")
    name = f"Ann ({ann.pk})"
    # A data scientist expected at 4, 4, 4, 4, 2, 2, 2, 2, 3, 3, 3, 3: 1 + 12 + 8 + 12 short.
    assert members[2].startswith(f"{name:{max(len(name), 6)}}               33  statistics 3→4, ml-modelling 0→4,")


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
