"""Ranking the candidates for a role slot, by the arithmetic of DESIGN.md §3.

The data comes from a constant number of queries and lands in NumPy arrays: FTE, capacities,
allocations and weights as integer hundredths (so sums and comparisons are exact), days as whole
numbers counted from an origin date. Candidates are built only when read, so paging through a
ranking of tens of thousands of people builds just the page.
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast, overload

import numpy as np
import numpy.typing as npt
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import F, Func, IntegerField, QuerySet, Value
from django.db.models.functions import Cast, Round

from projects.load import as_fte, free_capacity
from projects.models import AssignmentStatus, RoleSlot
from staffing.candidates import CandidateOrder, SlotCandidates, slot_candidates

if TYPE_CHECKING:
    from django.db.models.sql.compiler import _AsSqlType

FIT_PLACES = 4
NEVER = 10**7  # the day number that stands for "does not expire"


# --- Pure arithmetic on arrays -------------------------------------------------------------------


def shortfall(levels: np.ndarray, required: np.ndarray) -> np.ndarray:
    """``max(0, r[s] − h[s])``: the levels each person (a row of ``levels``) lacks in each skill."""
    return cast(np.ndarray, np.maximum(required - levels, 0))


def exact_fit(shortfall: np.ndarray, total: int) -> np.ndarray:
    """``1 − Σ w·shortfall / Σ w·r`` unrounded, for arithmetic on fits; 1.0 when the slot requires nothing."""
    if total == 0:
        return np.ones(np.shape(shortfall))
    return cast(np.ndarray, 1 - np.asarray(shortfall) / total)


def round_fit(shortfall: np.ndarray | int, total: int) -> np.ndarray:
    """``1 − shortfall / total`` rounded half up to 4 decimals; 1.0 when the slot requires nothing.

    ``shortfall`` and ``total`` (``Σ w·r``) are integers in the same unit, so the rounding is exact.
    """
    shortfall = np.asarray(shortfall, dtype=np.int64)
    if total == 0:
        return np.ones(shortfall.shape)
    scale = 10**FIT_PLACES
    return cast(np.ndarray, ((total - shortfall) * 2 * scale + total) // (2 * total) / scale)


# --- Fetching ------------------------------------------------------------------------------------


class DaysSince(Func):
    """Whole days from ``origin`` to a date column, as an integer on PostgreSQL and on SQLite."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def __init__(self, field: str, origin: dt.date) -> None:
        super().__init__(F(field), Value(origin))

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> "_AsSqlType":
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS integer)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def hundredths(field: str) -> Cast:
    """An FTE or weight column as integer hundredths (rounded first: SQLite keeps decimals as floats)."""
    return Cast(Round(F(field) * 100), IntegerField())


def fetch_rows(queryset: QuerySet) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset read through a plain cursor, skipping per-row ORM work."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cast(list[tuple[Any, ...]], cursor.fetchall())


def int_columns(rows: list[tuple[Any, ...]], width: int) -> np.ndarray:
    """Rows of ``width`` integers as a (rows × width) array."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=width * len(rows))
    return flat.reshape(len(rows), width)


# ``load_demands`` and ``load_staffing_data`` read with plain SQL that PostgreSQL and SQLite both run:
# building their queries with the ORM on every call took longer than running several of them. Only
# placeholders and the fixed fragments below are formatted into the statements.


def fetch_sql(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of a SQL statement with ``%s`` placeholders."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cast(list[tuple[Any, ...]], cursor.fetchall())


def fetch_ints(sql: str, params: Sequence[Any], width: int) -> np.ndarray:
    """The rows of a SQL statement of ``width`` integer columns as a (rows × width) array.

    The values go from the cursor straight into the array: building a list of row tuples first
    would take about as long as reading the rows.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        size = width * cursor.rowcount if cursor.rowcount >= 0 else -1  # SQLite does not count a SELECT
        flat = np.fromiter(chain.from_iterable(cursor), dtype=np.int64, count=size)
    return flat.reshape(-1, width)


def placeholders(values: Sequence[object]) -> str:
    """``%s, %s, …``, one placeholder per value, for ``IN (…)``."""
    return ", ".join(["%s"] * len(values))


def days_since(column: str) -> str:
    """The whole days from a date parameter to the date ``column`` (as ``DaysSince`` in the ORM)."""
    if connection.vendor == "sqlite":
        return f"CAST(julianday({column}) - julianday(%s) AS integer)"
    return f"({column} - %s)"


def person_conditions(*, team_id: int | None, profession_id: int | None) -> tuple[str, list[int]]:
    """The condition on ``people_person`` keeping one team and/or profession ("" for everyone)."""
    conditions, params = [], []
    if team_id is not None:
        conditions.append("team_id = %s")
        params.append(team_id)
    if profession_id is not None:
        conditions.append("profession_id = %s")
        params.append(profession_id)
    return " AND ".join(conditions), params


def of_people(*, team_id: int | None, profession_id: int | None) -> tuple[str, list[int]]:
    """``AND person_id IN (…)`` keeping the rows of one team and/or profession ("" for everyone)."""
    condition, params = person_conditions(team_id=team_id, profession_id=profession_id)
    if not condition:
        return "", []
    sql = f"AND person_id IN (SELECT id FROM people_person WHERE {condition})"  # noqa: S608  placeholders and fixed fragments only
    return sql, params


def requirements_sql(slot_ids: Sequence[int]) -> tuple[str, list[int]]:
    """(slot, skill id, slug, level, weight in hundredths) of the slots' requirements, in catalogue order."""
    sql = f"""
        SELECT r.slot_id, s.id, s.slug, r.level, CAST(ROUND(r.weight * 100) AS integer)
          FROM projects_slotrequirement r
          JOIN skills_skill s ON s.id = r.skill_id
          JOIN skills_skillgroup g ON g.id = s.group_id
         WHERE r.slot_id IN ({placeholders(slot_ids)})
         ORDER BY r.slot_id, g."order", s."order", s.name
    """  # noqa: S608  placeholders and fixed fragments only
    return sql, list(slot_ids)


def certifications_sql(slot_ids: Sequence[int]) -> tuple[str, list[int]]:
    """(slot, kind id, name) of the certifications the slots require, by name."""
    sql = f"""
        SELECT c.roleslot_id, k.id, k.name
          FROM projects_roleslot_certifications c
          JOIN people_certificationtype k ON k.id = c.certificationtype_id
         WHERE c.roleslot_id IN ({placeholders(slot_ids)})
         ORDER BY k.name
    """  # noqa: S608  placeholders and fixed fragments only
    return sql, list(slot_ids)


def people_sql(*, team_id: int | None, profession_id: int | None) -> tuple[str, list[int]]:
    """(id, name, team, profession, capacity in hundredths) of the people considered, by id."""
    condition, params = person_conditions(team_id=team_id, profession_id=profession_id)
    where = f"WHERE {condition}" if condition else ""
    sql = f"""
        SELECT id, name, team_id, profession_id, CAST(ROUND(capacity_fte * 100) AS integer)
          FROM people_person {where}
         ORDER BY id
    """  # noqa: S608  placeholders and fixed fragments only
    return sql, params


def ratings_sql(skill_ids: Sequence[int], *, team_id: int | None, profession_id: int | None) -> tuple[str, list[int]]:
    """(person, skill, level) of the people considered in ``skill_ids``, in no order."""
    of_kept, params = of_people(team_id=team_id, profession_id=profession_id)
    sql = f"""
        SELECT person_id, skill_id, level
          FROM people_skillrating
         WHERE skill_id IN ({placeholders(skill_ids)}) {of_kept}
    """  # noqa: S608  placeholders and fixed fragments only
    return sql, [*skill_ids, *params]


def confirmed_sql(
    slot_ids: Sequence[int], *, starts_on: dt.date, ends_on: dt.date, team_id: int | None, profession_id: int | None
) -> tuple[str, list[Any]]:
    """(person, slot, first day, last day, allocation in hundredths) of the people's confirmed
    assignments that touch ``starts_on..ends_on`` or sit on one of ``slot_ids``, days from ``starts_on``.
    """
    of_kept, params = of_people(team_id=team_id, profession_id=profession_id)
    sql = f"""
        SELECT person_id, slot_id, {days_since("starts_on")}, {days_since("ends_on")},
               CAST(ROUND(allocation * 100) AS integer)
          FROM projects_assignment
         WHERE status = %s
           AND (starts_on <= %s AND ends_on >= %s OR slot_id IN ({placeholders(slot_ids)})) {of_kept}
    """  # noqa: S608  placeholders and fixed fragments only
    days = [starts_on, starts_on]
    return sql, [*days, AssignmentStatus.CONFIRMED.value, ends_on, starts_on, *slot_ids, *params]


def held_sql(
    kind_ids: Sequence[int],
    *,
    origin: dt.date,
    obtained_by: dt.date,
    valid_on: dt.date,
    team_id: int | None,
    profession_id: int | None,
) -> tuple[str, list[Any]]:
    """(person, kind, obtained day, expiry day or ``NEVER``) of the people's certifications of
    ``kind_ids`` obtained by ``obtained_by`` and not expired before ``valid_on``, days from ``origin``.
    """
    of_kept, params = of_people(team_id=team_id, profession_id=profession_id)
    sql = f"""
        SELECT person_id, kind_id, {days_since("obtained_on")}, COALESCE({days_since("expires_on")}, %s)
          FROM people_certification
         WHERE kind_id IN ({placeholders(kind_ids)})
           AND obtained_on <= %s AND (expires_on IS NULL OR expires_on >= %s) {of_kept}
    """  # noqa: S608  placeholders and fixed fragments only
    days = [origin, origin, NEVER]
    return sql, [*days, *kind_ids, obtained_by, valid_on, *params]


@dataclass(frozen=True)
class Requirement:
    skill_id: int
    slug: str
    level: int
    weight: int  # hundredths


@dataclass(frozen=True)
class SlotDemand:
    """What a slot asks for: its dates, FTE (hundredths), skills and certifications (kind id, name)."""

    id: int
    starts_on: dt.date
    ends_on: dt.date
    fte: int
    requirements: tuple[Requirement, ...]
    certifications: tuple[tuple[int, str], ...]


def load_demands(slots: Sequence[RoleSlot]) -> list[SlotDemand]:
    """The demand of each slot, in the order given (two queries: requirements, certifications)."""
    ids = [slot.pk for slot in slots]
    requirements: dict[int, list[Requirement]] = {pk: [] for pk in ids}
    kinds: dict[int, list[tuple[int, str]]] = {pk: [] for pk in ids}
    if ids:
        for slot_id, skill_id, slug, level, weight in fetch_sql(*requirements_sql(ids)):
            requirements[slot_id].append(Requirement(skill_id=skill_id, slug=slug, level=level, weight=weight))
        for slot_id, kind_id, name in fetch_sql(*certifications_sql(ids)):
            kinds[slot_id].append((kind_id, name))
    return [
        SlotDemand(
            id=slot.pk,
            starts_on=slot.starts_on,
            ends_on=slot.ends_on,
            fte=round(slot.fte * 100),
            requirements=tuple(requirements[slot.pk]),
            certifications=tuple(kinds[slot.pk]),
        )
        for slot in slots
    ]


@dataclass(frozen=True)
class People:
    """The people considered, in id order: their rows (id, name, team, profession, capacity) and arrays."""

    rows: list[tuple[int, str, int | None, int, int]]
    ids: np.ndarray
    capacity: np.ndarray  # hundredths

    @classmethod
    def from_rows(cls, rows: list[tuple[int, str, int | None, int, int]]) -> "People":
        return cls(
            rows=rows,
            ids=np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=len(rows)),
            capacity=np.fromiter(map(itemgetter(4), rows), dtype=np.int64, count=len(rows)),
        )

    def __len__(self) -> int:
        return len(self.rows)

    @cached_property
    def names(self) -> npt.NDArray[np.str_]:
        """Everyone's names as an array, built on first use (a page of a ranking does without)."""
        return np.array([row[1] for row in self.rows], dtype=str)

    @cached_property
    def _table(self) -> np.ndarray | None:
        """Each position at ``id − ids[0] + 1``, −1 elsewhere and at both ends; None for ids too sparse."""
        span = int(self.ids[-1] - self.ids[0])
        if span > 4 * len(self.ids):
            return None
        table = np.full(span + 3, -1)
        table[self.ids - self.ids[0] + 1] = np.arange(len(self.ids))
        return table

    def positions(self, person_ids: np.ndarray) -> np.ndarray:
        """Where each id sits in ``ids``, or −1 where it is not there."""
        if not len(self.ids):
            return np.full(len(person_ids), -1)
        if self._table is None:
            at = np.minimum(np.searchsorted(self.ids, person_ids), len(self.ids) - 1)
            return np.where(self.ids[at] == person_ids, at, -1)
        # Out of range: onto an end's −1.
        return cast(np.ndarray, self._table.take(person_ids - self.ids[0] + 1, mode="clip"))


@dataclass(frozen=True)
class StaffingData:
    """Everything ranking needs for some slots, as arrays indexed by position in ``people``.

    ``levels`` has one column per skill in ``skill_ids`` (0 when unrated). ``confirmed`` rows are
    (person position, slot id, first day, last day, allocation) of confirmed assignments that touch the
    slots' dates or sit on one of the slots; ``held`` rows are (person position, kind id, obtained day,
    expiry day) of certifications of the required kinds. Days count from ``origin``.
    """

    origin: dt.date
    people: People
    skill_ids: tuple[int, ...]
    levels: np.ndarray
    confirmed: np.ndarray
    held: np.ndarray

    def day(self, date: dt.date) -> int:
        return (date - self.origin).days

    def shortfall(self, demand: SlotDemand) -> tuple[np.ndarray, np.ndarray, int]:
        """Per skill required (people × requirements), weighted per person, and ``Σ w·r`` of the slot."""
        columns = [self.skill_ids.index(req.skill_id) for req in demand.requirements]
        required = np.array([req.level for req in demand.requirements], dtype=np.int64)
        weights = np.array([req.weight for req in demand.requirements], dtype=np.int64)
        gaps = shortfall(self.levels[:, columns], required)
        return gaps, gaps @ weights, int(required @ weights)

    def free_capacity(self, first: int, last: int) -> np.ndarray:
        """``max(0, capacity − max load)`` over days ``first..last``, in hundredths."""
        return free_capacity(
            capacity=self.people.capacity,
            person=self.confirmed[:, 0],
            first=self.confirmed[:, 2],
            last=self.confirmed[:, 3],
            allocation=self.confirmed[:, 4],
            window=(first, last),
        )

    def confirmed_on(self, slot_id: int) -> np.ndarray:
        on_slot = np.zeros(len(self.people), dtype=bool)
        on_slot[self.confirmed[self.confirmed[:, 1] == slot_id, 0]] = True
        return on_slot

    def missing_certifications(self, demand: SlotDemand) -> np.ndarray:
        """(people × required kinds): True where a person has no certification valid on every day."""
        first, last = self.day(demand.starts_on), self.day(demand.ends_on)
        valid = self.held[(self.held[:, 2] <= first) & (self.held[:, 3] >= last)]
        missing = np.ones((len(self.people), len(demand.certifications)), dtype=bool)
        for column, (kind_id, _) in enumerate(demand.certifications):
            missing[valid[valid[:, 1] == kind_id, 0], column] = False
        return missing


def load_staffing_data(
    demands: Sequence[SlotDemand], *, team_id: int | None = None, profession_id: int | None = None
) -> StaffingData:
    """People, their levels, confirmed assignments and certifications for ``demands`` (four queries at most).

    The ratings query is skipped when the slots require no skills, the certifications query when
    they require no certifications.
    """
    starts_on = min(demand.starts_on for demand in demands)
    ends_on = max(demand.ends_on for demand in demands)
    latest_start = max(demand.starts_on for demand in demands)
    earliest_end = min(demand.ends_on for demand in demands)
    skill_ids = tuple(dict.fromkeys(req.skill_id for demand in demands for req in demand.requirements))
    kind_ids = sorted({kind_id for demand in demands for kind_id, _ in demand.certifications})

    people = People.from_rows(fetch_sql(*people_sql(team_id=team_id, profession_id=profession_id)))

    levels = np.zeros((len(people), len(skill_ids)), dtype=np.int64)
    if skill_ids:
        ratings = fetch_ints(*ratings_sql(skill_ids, team_id=team_id, profession_id=profession_id), 3)
        ratings = _located(people, ratings)
        column = np.zeros(max(skill_ids) + 1, dtype=np.int64)
        column[list(skill_ids)] = np.arange(len(skill_ids))
        levels[ratings[:, 0], column[ratings[:, 1]]] = ratings[:, 2]

    confirmed = fetch_ints(
        *confirmed_sql(
            [demand.id for demand in demands],
            starts_on=starts_on,
            ends_on=ends_on,
            team_id=team_id,
            profession_id=profession_id,
        ),
        5,
    )
    confirmed = _located(people, confirmed)

    held = np.zeros((0, 4), dtype=np.int64)
    if kind_ids:
        held = fetch_ints(
            *held_sql(
                kind_ids,
                origin=starts_on,
                obtained_by=latest_start,
                valid_on=earliest_end,
                team_id=team_id,
                profession_id=profession_id,
            ),
            4,
        )
        held = _located(people, held)

    return StaffingData(
        origin=starts_on, people=people, skill_ids=skill_ids, levels=levels, confirmed=confirmed, held=held
    )


def _located(people: People, rows: np.ndarray) -> np.ndarray:
    """``rows`` whose first column is a person id, with that id replaced by the person's position."""
    at = people.positions(rows[:, 0])
    found = at >= 0
    if not found.all():
        rows, at = rows[found], at[found]
    rows[:, 0] = at
    return rows


# --- Ranking -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One person as a candidate for a slot, as the ranking shows them."""

    person_id: int
    name: str
    team_id: int | None
    profession_id: int
    fit: float
    free_fte: Decimal
    eligible: bool
    reasons: list[str]
    shortfall: dict[str, int]


class Ranking(Sequence[Candidate]):
    """The candidates for a slot in ranking order; each ``Candidate`` is built when it is read.

    It behaves like a read-only list (``len``, indexing, slicing, iteration), so a paginator can
    page it and only the page is materialised.
    """

    def __init__(
        self, *, data: StaffingData, demand: SlotDemand, candidates: SlotCandidates, order: CandidateOrder
    ) -> None:
        self._rows = data.people.rows
        self._slugs = [req.slug for req in demand.requirements]
        self._kinds = [name for _, name in demand.certifications]
        self._candidates = candidates
        self._order = order
        self._fit = round_fit(candidates.shortfall, candidates.total)

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...

    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        if isinstance(index, slice):
            return [self._candidate(int(position)) for position in self._order.sliced(index)]
        at = range(len(self))[index]
        return self._candidate(int(self._order.ranked(at, at + 1)[0]))

    def __iter__(self) -> Iterator[Candidate]:
        return (self._candidate(int(position)) for position in self._order.ranked(0, len(self)))

    @property
    def person_ids(self) -> list[int]:
        """The candidates' ids in ranking order, without building the candidates."""
        return [self._rows[position][0] for position in self._order.ranked(0, len(self))]

    def _candidate(self, position: int) -> Candidate:
        person_id, name, team_id, profession_id, _ = self._rows[position]
        candidates = self._candidates
        reasons = candidates.reasons(position, self._kinds)
        return Candidate(
            person_id=person_id,
            name=name,
            team_id=team_id,
            profession_id=profession_id,
            fit=float(self._fit[position]),
            free_fte=as_fte(candidates.free[position]),
            eligible=not reasons,
            reasons=reasons,
            shortfall={
                slug: int(gap) for slug, gap in zip(self._slugs, candidates.gaps[position], strict=True) if gap > 0
            },
        )


def rank_candidates(
    *,
    slot: RoleSlot,
    available_only: bool = False,
    team_id: int | None = None,
    profession_id: int | None = None,
) -> Ranking:
    """Everyone who could fill ``slot``, ranked as DESIGN.md §3 says (six queries at most).

    People of every profession are candidates unless ``profession_id`` is given; ``team_id`` keeps
    one team; ``available_only`` keeps those with free capacity over the slot's dates. Who is a
    candidate and the order are ``staffing.candidates``'s.
    """
    demand = load_demands([slot])[0]
    data = load_staffing_data([demand], team_id=team_id, profession_id=profession_id)
    candidates = slot_candidates(data, demand)
    kept = candidates.positions
    if available_only:
        kept = kept[candidates.free[kept] > 0]
    order = CandidateOrder(people=data.people, candidates=candidates, positions=kept)
    return Ranking(data=data, demand=demand, candidates=candidates, order=order)
