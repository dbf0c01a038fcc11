"""Skill-gap reports: the arithmetic of DESIGN.md §3, returning the result shapes of §5.

Each report reads a constant number of queries into NumPy arrays and computes on those. FTE,
capacities, allocations and weights are integer hundredths, so sums and comparisons are exact; days
are whole numbers counted from an origin date. Results are plain JSON: FTE and weights as numbers
with two decimals, means with four, skills and professions by slug, people and slots by id, skills
in catalogue order.

Where §3 leaves room, the reports read it so:

Project report
  - Phase coverage lists every catalogue skill for each working phase. All the project's slots
    count, closed ones too: the people confirmed on a closed slot still work on it.
  - ``unfilled`` lists the open slots (not closed) with unfilled FTE above 0, in slot order, each
    computed from the confirmed assignments rather than read from the stored column.
  - ``training`` has one row per person confirmed on one of the project's slots (by person id),
    left out when nothing would improve. The slots summed over are the project's slots the person
    is confirmed on and its open slots where they are among the first three of the candidate
    ranking, ordered exactly as ``staffing.ranking.rank_candidates`` orders them (from the same
    data, loaded once for all the slots). Raising skill s from h to h + 1 removes ``w`` from every
    such slot that requires s above h, so the gain is that sum of weights.

Team report
  - Members are the people of the team, by name then id. An unrated skill counts as 0, a skill
    missing from the member's profession spectrum is expected at 0. ``mean_shortfall`` is null
    for a team without members.

Organisation report
  - Demand counts the open slots (not closed) whose dates overlap the range; a slot's unfilled FTE
    is taken over its own dates, as §3 defines it. Supply is every person's free capacity over the
    range.
  - ``weekly_demand`` has a row for each ISO week (its Monday) that touches the range and each
    working phase, in that order. A week's FTE in a phase is the unfilled FTE of the open slots
    whose dates overlap the days of that week inside the range, each slot's unfilled FTE shared
    equally among the phases it is needed in. Summed over the phases, a week shows the whole
    unfilled FTE active in it; the shares are rounded half up to two decimals.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet

from people.models import Person, SkillRating, Team
from projects.load import free_capacity, unfilled_fte
from projects.models import (
    WORKING_PHASES,
    Assignment,
    AssignmentStatus,
    Project,
    ProjectTaskSkill,
    RoleSlot,
    SlotRequirement,
    phase_field_name,
)
from roles.models import SpectrumLevel
from skills.models import MAX_LEVEL, Skill
from staffing.candidates import CandidateOrder, slot_candidates
from staffing.models import Report
from staffing.ranking import (
    DaysSince,
    fetch_rows,
    hundredths,
    int_columns,
    load_demands,
    load_staffing_data,
    shortfall,
)
from staffing.report_types import (
    BUS_FACTOR_LEVEL,
    BUS_FACTOR_MINIMUM,
    OrganisationResult,
    ProjectResult,
    ReportResult,
    TeamResult,
)

Progress = Callable[[int], None]
LEVELS = range(1, MAX_LEVEL + 1)
TOP_CANDIDATES = 3
SHARE_UNITS = 6  # a slot's FTE is shared among 1, 2 or 3 phases: sixths keep every share exact


def ignore_progress(percent: int) -> None:
    """The progress callback when nobody is watching."""


# --- Arithmetic on arrays ------------------------------------------------------------------------


def totals_by_level(*, skill: np.ndarray, level: np.ndarray, amount: np.ndarray, skills: int) -> np.ndarray:
    """(skills × 5): for each skill and level L = 1..5, the sum of ``amount`` over rows at level ≥ L."""
    by_level = np.zeros((skills, MAX_LEVEL + 1), dtype=np.int64)
    np.add.at(by_level, (skill, level), amount)
    at_least = np.cumsum(by_level[:, ::-1], axis=1)[:, ::-1]
    return at_least[:, 1:]


def weekly_phase_totals(
    *, first: np.ndarray, last: np.ndarray, phases: np.ndarray, amount: np.ndarray, days: int, weekday: int
) -> np.ndarray:
    """(weeks × phases) totals of ``amount`` per week, each row's amount shared among its phases.

    Rows run on days ``first..last`` of a range of ``days`` days whose first day is ``weekday``
    (0 Monday). ``phases`` (rows × phases) says which phases each row is needed in. A row counts in
    every week of the range it touches. The result is in sixths of ``amount``'s unit, so that
    shares among one, two or three phases stay whole numbers.
    """
    weeks = (days - 1 + weekday) // 7 + 1
    lo = np.maximum(first, 0)
    hi = np.minimum(last, days - 1)
    inside = lo <= hi
    first_week = (lo[inside] + weekday) // 7
    last_week = (hi[inside] + weekday) // 7
    needed = phases[inside].astype(np.int64)
    share = (amount[inside] * (SHARE_UNITS // needed.sum(axis=1)))[:, None] * needed
    changes = np.zeros((weeks + 1, phases.shape[1]), dtype=np.int64)
    np.add.at(changes, first_week, share)
    np.add.at(changes, last_week + 1, -share)
    return np.cumsum(changes, axis=0)[:-1]


def phase_coverage(
    *,
    slot_phases: np.ndarray,
    slot_levels: np.ndarray,
    tasks: np.ndarray,
    confirmed_slot: np.ndarray,
    confirmed_levels: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(phases × skills) required and covered levels of a project.

    ``slot_phases`` (slots × phases) and ``slot_levels`` (slots × skills) describe the slots; ``tasks``
    rows are (phase, skill, level) of task skills; ``confirmed_slot`` and ``confirmed_levels``
    (assignments × skills) give each confirmed assignment's slot and its person's levels.
    """
    required = np.max(np.where(slot_phases[:, :, None], slot_levels[:, None, :], 0), axis=0, initial=0)
    np.maximum.at(required, (tasks[:, 0], tasks[:, 1]), tasks[:, 2])
    active = slot_phases[confirmed_slot]
    covered = np.max(np.where(active[:, :, None], confirmed_levels[:, None, :], 0), axis=0, initial=0)
    return required, covered


def training_gains(
    *, levels: np.ndarray, considered: np.ndarray, required: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """(people × skills): the weighted shortfall one more level in a skill removes for each person.

    ``levels`` is people × skills, ``considered`` people × slots (the slots that count for each
    person), ``required`` and ``weights`` slots × skills. One more level in s removes ``w[s]`` from
    every considered slot that requires s above the person's level.
    """
    below = required[None, :, :] > levels[:, None, :]
    return cast(np.ndarray, np.einsum("ps,psk,sk->pk", considered.astype(np.int64), below.astype(np.int64), weights))


def best_raises(gains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per person, the skill column whose raise gains most (the first in catalogue order on a tie), and the gain."""
    if gains.shape[1] == 0:
        return np.zeros(len(gains), dtype=np.int64), np.zeros(len(gains), dtype=np.int64)
    best = np.argmax(gains, axis=1)
    return best, np.take_along_axis(gains, best[:, None], axis=1)[:, 0]


def round_half_up(numerator: np.ndarray | int, denominator: np.ndarray | int) -> np.ndarray:
    """``numerator / denominator`` rounded half up to a whole number (for numerators ≥ 0)."""
    return cast(np.ndarray, (2 * np.asarray(numerator) + denominator) // (2 * np.asarray(denominator)))


def json_fte(value: np.integer | int) -> float:
    """Integer hundredths as a JSON number with two decimals (150 → 1.5)."""
    return int(value) / 100


# --- Fetching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The skills in catalogue order, and where each skill id sits in that order."""

    ids: np.ndarray
    slugs: list[str]

    def __len__(self) -> int:
        return len(self.slugs)

    def columns(self, skill_ids: npt.NDArray[np.int64]) -> np.ndarray:
        if not len(self.ids):
            return np.zeros(len(skill_ids), dtype=np.int64)
        column = np.zeros(int(self.ids.max()) + 1, dtype=np.int64)
        column[self.ids] = np.arange(len(self.ids))
        return column[skill_ids]


def load_catalogue() -> Catalogue:
    rows = list(Skill.objects.order_by("group__order", "order", "name").values_list("id", "slug"))
    return Catalogue(ids=np.array([pk for pk, _ in rows], dtype=np.int64), slugs=[slug for _, slug in rows])


def fetch_ints(queryset: QuerySet, width: int) -> np.ndarray:
    """The integer columns of a ``values_list`` queryset as a (rows × width) array (one query)."""
    return int_columns(fetch_rows(queryset), width)


def locate(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each of ``wanted`` sits in ``ids`` (in any order; every wanted id is there)."""
    order = np.argsort(ids, kind="stable")
    return order[np.searchsorted(ids[order], wanted)]


def level_matrix(owner: np.ndarray, column: np.ndarray, level: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    levels = np.zeros(shape, dtype=np.int64)
    levels[owner, column] = level
    return levels


def phase_flags() -> list[str]:
    return [phase_field_name(phase) for phase in WORKING_PHASES]


# --- Project report ------------------------------------------------------------------------------


def top_candidates(slots: list[RoleSlot], *, count: int = TOP_CANDIDATES) -> dict[int, np.ndarray]:
    """The ids of the first ``count`` people of each slot's candidate ranking.

    The candidates and their order are ``rank_candidates``'s (``staffing.candidates``), from one load
    of the ranking data for all the slots (a constant number of queries) rather than one per slot.
    """
    if not slots:
        return {}
    demands = load_demands(slots)
    data = load_staffing_data(demands)
    top = {}
    for demand in demands:
        order = CandidateOrder(people=data.people, candidates=slot_candidates(data, demand))
        top[demand.id] = data.people.ids[order.ranked(0, count)]
    return top


def fetch_task_skills(project: Project, catalogue: Catalogue) -> np.ndarray:
    """(phase position, skill column, level) of every skill the project's tasks exercise (one query)."""
    rows = list(
        ProjectTaskSkill.objects.filter(task__project=project)
        .order_by()
        .values_list("task__phase", "skill_id", "level")
    )
    phase = {name: index for index, name in enumerate(WORKING_PHASES)}
    tasks = np.array([(phase[name], skill_id, level) for name, skill_id, level in rows], dtype=np.int64)
    tasks = tasks.reshape(len(rows), 3)
    tasks[:, 1] = catalogue.columns(tasks[:, 1])
    return tasks


def compute_project_report(*, project: Project, progress: Progress = ignore_progress) -> ProjectResult:
    """Phase coverage, unfilled slots and training suggestions of a project (§3).

    Queries: the catalogue, the slots, their requirements, the task skills, the confirmed
    assignments and the assigned people's ratings; then, when someone is assigned, the ranking data
    for the open slots (six at most).
    """
    catalogue = load_catalogue()
    slots = list(project.slots.order_by("starts_on", "profession__order", "id"))
    origin = project.starts_on
    requirements = fetch_ints(
        SlotRequirement.objects.filter(slot__project=project)
        .order_by()
        .values_list("slot_id", "skill_id", "level", hundredths("weight")),
        4,
    )
    tasks = fetch_task_skills(project, catalogue)
    confirmed_here = Assignment.objects.filter(slot__project=project, status=AssignmentStatus.CONFIRMED).order_by()
    confirmed = fetch_ints(
        confirmed_here.values_list(
            "slot_id",
            "person_id",
            DaysSince("starts_on", origin),
            DaysSince("ends_on", origin),
            hundredths("allocation"),
        ),
        5,
    )
    ratings = fetch_ints(
        SkillRating.objects.filter(person__in=confirmed_here.values("person_id"))
        .order_by()
        .values_list("person_id", "skill_id", "level"),
        3,
    )
    progress(20)

    slot_ids = np.array([slot.pk for slot in slots], dtype=np.int64)
    shape = (len(slots), len(catalogue))
    at, column = locate(slot_ids, requirements[:, 0]), catalogue.columns(requirements[:, 1])
    slot_levels = level_matrix(at, column, requirements[:, 2], shape)
    slot_weights = level_matrix(at, column, requirements[:, 3], shape)
    slot_phases = np.array([[getattr(slot, flag) for flag in phase_flags()] for slot in slots], dtype=bool)
    slot_phases = slot_phases.reshape(len(slots), len(WORKING_PHASES))

    person_ids = np.unique(confirmed[:, 1])
    levels = level_matrix(
        locate(person_ids, ratings[:, 0]),
        catalogue.columns(ratings[:, 1]),
        ratings[:, 2],
        (len(person_ids), len(catalogue)),
    )
    confirmed_slot, confirmed_person = locate(slot_ids, confirmed[:, 0]), locate(person_ids, confirmed[:, 1])
    required, covered = phase_coverage(
        slot_phases=slot_phases,
        slot_levels=slot_levels,
        tasks=tasks,
        confirmed_slot=confirmed_slot,
        confirmed_levels=levels[confirmed_person],
    )
    progress(40)

    unfilled = unfilled_fte(
        fte=np.array([round(slot.fte * 100) for slot in slots], dtype=np.int64),
        first=np.array([(slot.starts_on - origin).days for slot in slots], dtype=np.int64),
        last=np.array([(slot.ends_on - origin).days for slot in slots], dtype=np.int64),
        covering=np.column_stack([confirmed_slot, confirmed[:, 2:5]]),
    )
    progress(50)

    considered = np.zeros((len(person_ids), len(slots)), dtype=bool)
    considered[confirmed_person, confirmed_slot] = True
    if len(person_ids):
        for slot_id, top in top_candidates([slot for slot in slots if slot.closed_at is None]).items():
            considered[np.isin(person_ids, top), locate(slot_ids, np.array([slot_id]))[0]] = True
    progress(80)
    best, gain = best_raises(
        training_gains(levels=levels, considered=considered, required=slot_levels, weights=slot_weights)
    )
    progress(90)

    return {
        "phases": [
            {
                "phase": phase,
                "skills": [
                    {
                        "skill": slug,
                        "required": int(required[p, s]),
                        "covered": int(covered[p, s]),
                        "gap": max(0, int(required[p, s] - covered[p, s])),
                    }
                    for s, slug in enumerate(catalogue.slugs)
                ],
            }
            for p, phase in enumerate(WORKING_PHASES)
        ],
        "unfilled": [
            {"slot": slot.pk, "unfilled_fte": json_fte(unfilled[i])}
            for i, slot in enumerate(slots)
            if slot.closed_at is None and unfilled[i] > 0
        ],
        "training": [
            {
                "person": int(person_ids[p]),
                "skill": catalogue.slugs[best[p]],
                "from": int(levels[p, best[p]]),
                "to": int(levels[p, best[p]]) + 1,
                "gain": json_fte(gain[p]),
            }
            for p in range(len(person_ids))
            if gain[p] > 0
        ],
    }


# --- Team report ---------------------------------------------------------------------------------


def compute_team_report(*, team: Team, progress: Progress = ignore_progress) -> TeamResult:
    """Each member's shortfall against their profession's spectrum; per skill the mean shortfall, how
    many members meet their spectrum, and the bus factor (§3; four queries)."""
    catalogue = load_catalogue()
    members = fetch_ints(Person.objects.filter(team=team).order_by("name", "id").values_list("id", "profession_id"), 2)
    ratings = fetch_ints(
        SkillRating.objects.filter(person__team=team).order_by().values_list("person_id", "skill_id", "level"), 3
    )
    spectrum = fetch_ints(
        SpectrumLevel.objects.filter(profession__in=Person.objects.filter(team=team).values("profession_id"))
        .order_by()
        .values_list("profession_id", "skill_id", "level"),
        3,
    )
    progress(40)

    levels = level_matrix(
        locate(members[:, 0], ratings[:, 0]),
        catalogue.columns(ratings[:, 1]),
        ratings[:, 2],
        (len(members), len(catalogue)),
    )
    profession_ids = np.unique(members[:, 1])
    by_profession = level_matrix(
        locate(profession_ids, spectrum[:, 0]),
        catalogue.columns(spectrum[:, 1]),
        spectrum[:, 2],
        (len(profession_ids), len(catalogue)),
    )
    expected = by_profession[locate(profession_ids, members[:, 1])]
    short = shortfall(levels, expected)
    meeting = (levels >= expected).sum(axis=0)
    bus_factor = (levels >= BUS_FACTOR_LEVEL).sum(axis=0)
    mean = round_half_up(short.sum(axis=0) * 10**4, max(len(members), 1))
    progress(80)

    return {
        "members": [
            {
                "person": int(person_id),
                "skills": {
                    slug: {
                        "rating": int(levels[m, s]),
                        "expected": int(expected[m, s]),
                        "shortfall": int(short[m, s]),
                    }
                    for s, slug in enumerate(catalogue.slugs)
                },
            }
            for m, person_id in enumerate(members[:, 0])
        ],
        "skills": [
            {
                "skill": slug,
                "mean_shortfall": int(mean[s]) / 10**4 if len(members) else None,
                "meeting": int(meeting[s]),
                "bus_factor": int(bus_factor[s]),
                "flagged": bool(bus_factor[s] < BUS_FACTOR_MINIMUM),
            }
            for s, slug in enumerate(catalogue.slugs)
        ],
    }


# --- Organisation report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    """What the organisation report needs, as arrays. Days count from the range's first day.

    Slots are the open slots overlapping the range: FTE (hundredths), first and last day, and the
    phases they are needed in. ``covering`` rows are (slot position, first day, last day,
    allocation) of their confirmed assignments; ``requirements`` rows (slot position, skill column,
    level). ``loads`` rows are (person position, first day, last day, allocation) of confirmed
    assignments touching the range; ``ratings`` rows (person position, skill column, level) of
    ratings of 1 or more. ``spectrum`` is professions × skills.
    """

    starts_on: dt.date
    ends_on: dt.date
    skills: list[str]
    professions: list[str]
    spectrum: np.ndarray
    slot_fte: np.ndarray
    slot_first: np.ndarray
    slot_last: np.ndarray
    slot_phases: np.ndarray
    covering: np.ndarray
    requirements: np.ndarray
    capacity: np.ndarray
    loads: np.ndarray
    ratings: np.ndarray

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


def load_organisation(*, starts_on: dt.date, ends_on: dt.date) -> Organisation:
    """The organisation's demand and supply over ``starts_on..ends_on`` (eight queries)."""
    catalogue = load_catalogue()
    overlapping = {"starts_on__lte": ends_on, "ends_on__gte": starts_on}
    open_slots = RoleSlot.objects.filter(closed_at__isnull=True, **overlapping)
    slots = fetch_ints(
        open_slots.order_by("id").values_list(
            "id", hundredths("fte"), DaysSince("starts_on", starts_on), DaysSince("ends_on", starts_on), *phase_flags()
        ),
        4 + len(WORKING_PHASES),
    )
    covering = fetch_ints(
        Assignment.objects.filter(status=AssignmentStatus.CONFIRMED, slot__in=open_slots)
        .order_by()
        .values_list(
            "slot_id", DaysSince("starts_on", starts_on), DaysSince("ends_on", starts_on), hundredths("allocation")
        ),
        4,
    )
    requirements = fetch_ints(
        SlotRequirement.objects.filter(slot__in=open_slots, level__gte=1)
        .order_by()
        .values_list("slot_id", "skill_id", "level"),
        3,
    )
    people = fetch_ints(Person.objects.order_by("id").values_list("id", hundredths("capacity_fte")), 2)
    ratings = fetch_ints(
        SkillRating.objects.filter(level__gte=1).order_by().values_list("person_id", "skill_id", "level"), 3
    )
    loads = fetch_ints(
        Assignment.objects.filter(status=AssignmentStatus.CONFIRMED, **overlapping)
        .order_by()
        .values_list(
            "person_id", DaysSince("starts_on", starts_on), DaysSince("ends_on", starts_on), hundredths("allocation")
        ),
        4,
    )
    spectrum_rows = list(
        SpectrumLevel.objects.filter(level__gte=1)
        .order_by("profession__order", "profession__name")
        .values_list("profession__slug", "skill_id", "level")
    )

    professions = list(dict.fromkeys(slug for slug, _, _ in spectrum_rows))
    spectrum = np.zeros((len(professions), len(catalogue)), dtype=np.int64)
    if spectrum_rows:
        row = {slug: index for index, slug in enumerate(professions)}
        spectrum[
            [row[slug] for slug, _, _ in spectrum_rows],
            catalogue.columns(np.array([skill_id for _, skill_id, _ in spectrum_rows])),
        ] = [level for _, _, level in spectrum_rows]
    slot_ids, person_ids = slots[:, 0], people[:, 0]
    return Organisation(
        starts_on=starts_on,
        ends_on=ends_on,
        skills=catalogue.slugs,
        professions=professions,
        spectrum=spectrum,
        slot_fte=slots[:, 1],
        slot_first=slots[:, 2],
        slot_last=slots[:, 3],
        slot_phases=slots[:, 4:].astype(bool),
        covering=np.column_stack([locate(slot_ids, covering[:, 0]), covering[:, 1:]]),
        requirements=np.column_stack(
            [locate(slot_ids, requirements[:, 0]), catalogue.columns(requirements[:, 1]), requirements[:, 2]]
        ),
        capacity=people[:, 1],
        loads=np.column_stack([locate(person_ids, loads[:, 0]), loads[:, 1:]]),
        ratings=np.column_stack([locate(person_ids, ratings[:, 0]), catalogue.columns(ratings[:, 1]), ratings[:, 2]]),
    )


@dataclass(frozen=True)
class OrganisationFigures:
    """Demand and supply (skills × levels 1–5, hundredths) and weekly demand (weeks × phases, 1/600 FTE)."""

    demand: np.ndarray
    supply: np.ndarray
    weekly: np.ndarray


def organisation_figures(organisation: Organisation) -> OrganisationFigures:
    """The organisation gap arithmetic of §3 on arrays."""
    unfilled = unfilled_fte(
        fte=organisation.slot_fte,
        first=organisation.slot_first,
        last=organisation.slot_last,
        covering=organisation.covering,
    )
    loads = organisation.loads
    free = free_capacity(
        capacity=organisation.capacity,
        person=loads[:, 0],
        first=loads[:, 1],
        last=loads[:, 2],
        allocation=loads[:, 3],
        window=(0, organisation.days - 1),
    )
    requirements, ratings = organisation.requirements, organisation.ratings
    skills = len(organisation.skills)
    return OrganisationFigures(
        demand=totals_by_level(
            skill=requirements[:, 1], level=requirements[:, 2], amount=unfilled[requirements[:, 0]], skills=skills
        ),
        supply=totals_by_level(skill=ratings[:, 1], level=ratings[:, 2], amount=free[ratings[:, 0]], skills=skills),
        weekly=weekly_phase_totals(
            first=organisation.slot_first,
            last=organisation.slot_last,
            phases=organisation.slot_phases,
            amount=unfilled,
            days=organisation.days,
            weekday=organisation.starts_on.weekday(),
        ),
    )


def organisation_result(organisation: Organisation, figures: OrganisationFigures) -> OrganisationResult:
    """The §5 shape of the organisation report."""
    monday = organisation.starts_on - dt.timedelta(days=organisation.starts_on.weekday())
    weekly = round_half_up(figures.weekly, SHARE_UNITS)
    asks = organisation.spectrum[:, :, None] >= np.array(LEVELS)  # professions × skills × levels
    return {
        "starts_on": organisation.starts_on.isoformat(),
        "ends_on": organisation.ends_on.isoformat(),
        "gaps": [
            {
                "skill": slug,
                "level": level,
                "demand": json_fte(figures.demand[s, index]),
                "supply": json_fte(figures.supply[s, index]),
                "gap": json_fte(figures.demand[s, index] - figures.supply[s, index]),
                "professions": [
                    profession
                    for profession, asked in zip(organisation.professions, asks[:, s, index], strict=True)
                    if asked
                ],
            }
            for s, slug in enumerate(organisation.skills)
            for index, level in enumerate(LEVELS)
        ],
        "weekly_demand": [
            {"week": (monday + dt.timedelta(weeks=week)).isoformat(), "phase": phase, "fte": json_fte(weekly[week, p])}
            for week in range(len(weekly))
            for p, phase in enumerate(WORKING_PHASES)
        ],
    }


def compute_organisation_report(
    *, starts_on: dt.date, ends_on: dt.date, progress: Progress = ignore_progress
) -> OrganisationResult:
    """Skill gaps by level and weekly unfilled demand by phase over ``starts_on..ends_on`` (§3)."""
    organisation = load_organisation(starts_on=starts_on, ends_on=ends_on)
    progress(60)
    figures = organisation_figures(organisation)
    progress(90)
    return organisation_result(organisation, figures)


# --- Any report ----------------------------------------------------------------------------------


def compute_report(report: Report, *, progress: Progress = ignore_progress) -> ReportResult:
    """The result of a requested report, by its kind."""
    if report.kind == Report.Kind.PROJECT and report.project is not None:
        return compute_project_report(project=report.project, progress=progress)
    if report.kind == Report.Kind.TEAM and report.team is not None:
        return compute_team_report(team=report.team, progress=progress)
    if report.starts_on is not None and report.ends_on is not None:
        return compute_organisation_report(starts_on=report.starts_on, ends_on=report.ends_on, progress=progress)
    # The table's check constraint gives every kind of report its subject, so this is never reached.
    raise ValueError(f"Report {report.pk} lacks the subject a {report.kind} report needs.")
