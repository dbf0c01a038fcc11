"""A suggested team for a project (DESIGN.md §3, "Suggested team").

Each open slot (not closed, some FTE unfilled, and not already proposed in full: DESIGN.md §3.1)
gets at most one eligible person so that
``Σ fte·fit`` over the filled slots is as large as possible, and nobody is given more than their
free capacity on any day. How this reads §3:

- A slot whose unfilled FTE tentative assignments already propose (``projects.selectors.slot_proposals``)
  is left out, unless the manager asks to reconsider such slots; applying a suggestion never
  stacks proposals beyond a slot's unfilled FTE (``projects.services.propose_team``).
- ``fte`` is the slot's FTE (not its unfilled FTE): a person suggested for a slot would hold it at
  the slot's FTE, both in the objective and against their capacity.
- ``fit`` is the exact §3 fit; the rounded fit is what the result shows, and the objective is the
  exact sum rounded to 4 decimals.
- Eligible means §3's candidate rules (``staffing.candidates``): not already confirmed on that
  slot and holding every certification the slot requires, valid on each of its days. People of
  any profession qualify, as in the ranking.
- Capacity: split the slots' dates wherever one starts or ends, so the same slots run on every day
  of a segment. For each person and segment, the FTE of the slots they take that run in it must fit
  in ``capacity − highest confirmed load in the segment``; that is exactly "on every day".

The exact answer comes from a small integer program solved with HiGHS; the greedy baseline takes
the slots largest FTE first (then id), each with the best person in §3 ranking order who is eligible
and still has room. The integer program's objective is never below the greedy one.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from projects.models import Project
from projects.selectors import slot_proposals
from staffing.candidates import CandidateOrder, slot_candidates
from staffing.ranking import SlotDemand, StaffingData, exact_fit, load_demands, load_staffing_data, round_fit

Pick = tuple[int, int, float]  # (slot id, person id, fit as shown)


@dataclass(frozen=True)
class SuggestedTeam:
    """The best team found, its ``Σ fte·fit``, and what the greedy baseline finds.

    ``slot_ids`` are the slots it considered, ``left_out`` the open slots it left out because their
    unfilled FTE is already proposed (each in the project's slot order).
    """

    assignments: list[Pick]
    objective: float
    greedy_assignments: list[Pick]
    greedy_objective: float
    slot_ids: list[int]
    left_out: list[int]


@dataclass(frozen=True)
class TeamProblem:
    """A team suggestion as arrays over slots, people and day segments.

    ``fte`` and ``free`` are hundredths; ``fit`` is exact and ``shown_fit`` rounded as §3 shows it.
    ``active[g, s]`` says slot s runs during segment g; ``free[p, g]`` is person p's capacity minus
    their highest confirmed load in segment g (never below 0). ``preference[s]`` lists the
    positions of slot s's candidates in ranking order (``staffing.candidates``).
    """

    slot_ids: np.ndarray
    person_ids: np.ndarray
    fte: npt.NDArray[np.int64]
    fit: npt.NDArray[np.float64]
    shown_fit: npt.NDArray[np.float64]
    eligible: npt.NDArray[np.bool_]
    free: npt.NDArray[np.int64]
    active: npt.NDArray[np.bool_]
    preference: list[np.ndarray]

    @property
    def value(self) -> np.ndarray:
        """``fte·fit`` of every (slot, person) pair."""
        return self.fte[:, None] / 100 * self.fit

    def fits_alone(self) -> np.ndarray:
        """(slots × people): eligible, and with room for the slot's FTE on each of its days."""
        during = self.active.T[:, None, :]  # slots × 1 × segments
        least_free: npt.NDArray[np.int64] = np.where(during, self.free[None, :, :], np.iinfo(np.int64).max).min(axis=2)
        return self.eligible & (self.fte[:, None] <= least_free)

    def objective(self, picks: list[tuple[int, int]]) -> float:
        return float(sum(self.value[slot, person] for slot, person in picks))


def day_segments(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut the slots' days (``first[s]..last[s]``) wherever a slot starts or ends.

    Returns each segment's first and last day and ``active`` (segments × slots), keeping only the
    segments in which some slot runs.
    """
    bounds = np.unique(np.concatenate([first, last + 1]))
    starts, ends = bounds[:-1], bounds[1:] - 1
    active = (first[None, :] <= starts[:, None]) & (last[None, :] >= ends[:, None])
    busy = active.any(axis=1)
    return starts[busy], ends[busy], active[busy]


def build_problem(data: StaffingData, demands: list[SlotDemand]) -> TeamProblem:
    """The arrays of a team suggestion for ``demands`` from data loaded for them."""
    people = data.people
    first = np.array([data.day(demand.starts_on) for demand in demands], dtype=np.int64)
    last = np.array([data.day(demand.ends_on) for demand in demands], dtype=np.int64)
    starts, ends, active = day_segments(first, last)
    free = np.stack(
        [data.free_capacity(int(start), int(end)) for start, end in zip(starts, ends, strict=True)], axis=1
    ).reshape(len(people), len(starts))

    shape = (len(demands), len(people))
    fit, shown_fit = np.ones(shape), np.ones(shape)
    eligible = np.zeros(shape, dtype=bool)
    preference = []
    for index, demand in enumerate(demands):
        # Free capacity over a slot's days is the least over the segments it runs in.
        candidates = slot_candidates(data, demand, free=free[:, active[:, index]].min(axis=1))
        fit[index] = exact_fit(candidates.shortfall, candidates.total)
        shown_fit[index] = round_fit(candidates.shortfall, candidates.total)
        eligible[index, candidates.positions] = candidates.eligible[candidates.positions]
        order = CandidateOrder(people=people, candidates=candidates)
        preference.append(order.ranked(0, len(order)))
    return TeamProblem(
        slot_ids=np.array([demand.id for demand in demands], dtype=np.int64),
        person_ids=people.ids,
        fte=np.array([demand.fte for demand in demands], dtype=np.int64),
        fit=fit,
        shown_fit=shown_fit,
        eligible=eligible,
        free=free,
        active=active,
        preference=preference,
    )


def candidate_pairs(problem: TeamProblem) -> tuple[np.ndarray, np.ndarray]:
    """The (slot, person) pairs worth a variable: feasible alone, ``fte·fit > 0``, top K per slot.

    K is the number of slots. Keeping only each slot's K best pairs loses nothing: if an optimum
    gave slot s a person p outside its top K, the other slots hold at most K − 1 people, so one of
    s's top K, say q, holds no other slot; q can take s alone (the pair is feasible alone), p only
    gains room, and ``value(s, q) ≥ value(s, p)``. Swapping keeps the optimum.
    """
    value = problem.value
    usable = problem.fits_alone() & (value > 0)
    keep = len(problem.slot_ids)
    slots, people = [], []
    for slot in range(len(problem.slot_ids)):
        options = np.flatnonzero(usable[slot])
        best = options[np.argsort(-value[slot, options], kind="stable")[:keep]]
        slots.append(np.full(len(best), slot))
        people.append(best)
    return np.concatenate(slots).astype(np.int64), np.concatenate(people).astype(np.int64)


def solve_exactly(problem: TeamProblem) -> list[tuple[int, int]]:
    """The (slot, person) positions of a team with the largest ``Σ fte·fit`` (HiGHS through scipy)."""
    slots, people = candidate_pairs(problem)
    if not len(slots):
        return []
    pair = np.arange(len(slots))
    rows, columns, coefficients, upper = [slots], [pair], [np.ones(len(slots))], [np.ones(len(problem.slot_ids))]
    next_row = len(problem.slot_ids)
    for segment, running in enumerate(problem.active):
        inside = np.flatnonzero(running[slots])
        _, row_of, count = np.unique(people[inside], return_inverse=True, return_counts=True)
        # A person with one pair in the segment is already within capacity (the pair fits alone).
        inside = inside[count[row_of] > 1]
        who, row_of = np.unique(people[inside], return_inverse=True)
        rows.append(next_row + row_of)
        columns.append(inside)
        coefficients.append(problem.fte[slots[inside]].astype(float))
        upper.append(problem.free[who, segment].astype(float))
        next_row += len(who)

    upper_bounds = np.concatenate(upper)
    matrix = coo_array(
        (np.concatenate(coefficients), (np.concatenate(rows), np.concatenate(columns))),
        shape=(next_row, len(slots)),
    ).tocsr()
    result = milp(
        c=-problem.value[slots, people],
        constraints=LinearConstraint(matrix, -np.inf, upper_bounds),
        integrality=np.ones(len(slots)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if result.x is None:
        raise RuntimeError(f"The team suggestion found no solution: {result.message}")
    chosen = np.flatnonzero(result.x > 0.5)
    return sorted(zip(slots[chosen].tolist(), people[chosen].tolist(), strict=True))


def solve_greedily(problem: TeamProblem) -> list[tuple[int, int]]:
    """Slot by slot, largest FTE first (then id), the best eligible person in ranking order with room."""
    used = np.zeros_like(problem.free)
    picks = []
    for slot in np.lexsort((problem.slot_ids, -problem.fte)):
        during = problem.active[:, slot]
        room = problem.eligible[slot] & np.all(used[:, during] + problem.fte[slot] <= problem.free[:, during], axis=1)
        ranked = problem.preference[slot]
        willing = ranked[room[ranked]]
        if len(willing):
            person = int(willing[0])
            used[person, during] += problem.fte[slot]
            picks.append((int(slot), person))
    return sorted(picks)


def _shown(problem: TeamProblem, picks: list[tuple[int, int]]) -> list[Pick]:
    return [
        (int(problem.slot_ids[slot]), int(problem.person_ids[person]), float(problem.shown_fit[slot, person]))
        for slot, person in picks
    ]


def suggest_team(*, project: Project, reconsider_proposed: bool = False) -> SuggestedTeam:
    """The team for ``project``'s open slots with the largest ``Σ fte·fit``, and the greedy baseline.

    Slots already proposed in full are left out unless ``reconsider_proposed``. Eight queries at
    most: the open slots, their assignments, their requirements and certifications, people, ratings,
    confirmed assignments and certifications held.
    """
    open_slots = list(project.slots.filter(closed_at__isnull=True, unfilled_fte__gt=0).order_by("starts_on", "id"))
    proposals = slot_proposals(slots=open_slots)
    left_out = [] if reconsider_proposed else [s.pk for s in open_slots if proposals.proposed_in_full(s.pk)]
    slots = [slot for slot in open_slots if slot.pk not in left_out]
    if not slots:
        return SuggestedTeam(
            assignments=[], objective=0.0, greedy_assignments=[], greedy_objective=0.0, slot_ids=[], left_out=left_out
        )
    demands = load_demands(slots)
    problem = build_problem(load_staffing_data(demands), demands)
    best, greedy = solve_exactly(problem), solve_greedily(problem)
    return SuggestedTeam(
        assignments=_shown(problem, best),
        objective=round(problem.objective(best), 4),
        greedy_assignments=_shown(problem, greedy),
        greedy_objective=round(problem.objective(greedy), 4),
        slot_ids=[slot.pk for slot in slots],
        left_out=left_out,
    )
