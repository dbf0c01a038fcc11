"""The shapes of the skill-gap report results (DESIGN §5), and the thresholds the team report uses.

A result is stored as JSON on ``Report.result`` and answered as it is by ``GET reports/{id}/``, so
these types are the API contract: FTE as numbers, skills and professions by slug, people and slots
by id, dates and weeks as ISO strings.
"""

from typing import TypedDict

# The bus factor of a skill counts the members rated BUS_FACTOR_LEVEL or more; a skill whose bus
# factor is below BUS_FACTOR_MINIMUM is flagged (DESIGN §3, team report).
BUS_FACTOR_LEVEL = 3
BUS_FACTOR_MINIMUM = 2


# --- Project ---------------------------------------------------------------------------------------


class SkillCoverage(TypedDict):
    skill: str
    required: int
    covered: int | None  # None where the reader may not read the ratings it comes from
    gap: int | None  # None with ``covered``: with ``required`` it would tell ``covered``


class PhaseCoverage(TypedDict):
    phase: str
    skills: list[SkillCoverage]


class UnfilledSlot(TypedDict):
    slot: int
    unfilled_fte: float


# "from" is a keyword, so this one is spelled the functional way.
TrainingSuggestion = TypedDict(
    "TrainingSuggestion", {"person": int, "skill": str, "from": int, "to": int, "gain": float}
)


class ProjectResult(TypedDict):
    phases: list[PhaseCoverage]
    unfilled: list[UnfilledSlot]
    training: list[TrainingSuggestion]


# --- Team ------------------------------------------------------------------------------------------


class MemberSkill(TypedDict):
    rating: int
    expected: int
    shortfall: int


class TeamMember(TypedDict):
    person: int
    skills: dict[str, MemberSkill]


class TeamSkill(TypedDict):
    skill: str
    mean_shortfall: float | None  # None for a team without members
    meeting: int
    bus_factor: int
    flagged: bool


class TeamResult(TypedDict):
    members: list[TeamMember]
    skills: list[TeamSkill]


# --- Organisation ----------------------------------------------------------------------------------


class SkillGap(TypedDict):
    skill: str
    level: int
    demand: float
    supply: float
    gap: float
    professions: list[str]


class WeeklyDemand(TypedDict):
    week: str
    phase: str
    fte: float


class OrganisationResult(TypedDict):
    starts_on: str
    ends_on: str
    gaps: list[SkillGap]
    weekly_demand: list[WeeklyDemand]


ReportResult = ProjectResult | TeamResult | OrganisationResult
