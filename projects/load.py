"""Load and capacity, by the arithmetic of DESIGN.md §3: the one place daily totals are computed.

``daily_totals`` is the day sweep everything else reads: a person's load, their free capacity, a
slot's covered and unfilled FTE, the peak that the capacity rule checks, a week's peak on the load
chart, the cover that the over-fill rule checks (on the days ``counted_days`` gives). It runs on
NumPy arrays of whole days and integer hundredths of an FTE, so sums and comparisons are exact. The scalar entry
points below it take dates and ``Decimal`` FTE, as services and pages hold them, and run the same
sweep on a handful of rows.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import numpy as np

Span = tuple[dt.date, dt.date, Decimal]  # first day, last day (both included), allocation in FTE
WeekLoad = tuple[dt.date, Decimal, Decimal]  # a week's Monday, its confirmed peak, its peak with tentative


# --- The day sweep on arrays ---------------------------------------------------------------------


@dataclass(frozen=True)
class DailyTotals:
    """Each group's daily total on the days where it may change.

    Groups that some row reaches (``active``, in order) have rows here, group by group, day by day:
    row i says group ``group[i]`` totals ``total[i]`` from ``day[i]`` until the day before the next
    row of the same group (or the group's last day). Each active group has a row on its first day,
    so the rows of ``active[k]`` are ``runs[k]..runs[k+1]-1``. Every other group totals 0 on each of
    its days, from its first day ``starts[g]``.
    """

    starts: np.ndarray
    active: np.ndarray
    group: np.ndarray
    day: np.ndarray
    total: np.ndarray
    runs: np.ndarray

    def _per_group(self, reduce: np.ufunc) -> np.ndarray:
        result = np.zeros(len(self.starts), dtype=np.int64)
        if len(self.active):
            result[self.active] = reduce.reduceat(self.total, self.runs)
        return result

    def least(self) -> np.ndarray:
        """The least daily total of each group over its days."""
        return self._per_group(np.minimum)

    def greatest(self) -> np.ndarray:
        """The greatest daily total of each group over its days."""
        return self._per_group(np.maximum)

    def peaks(self) -> tuple[np.ndarray, np.ndarray]:
        """For each group, the first day with its greatest total, and that total."""
        day, total = self.starts.astype(np.int64), np.zeros(len(self.starts), dtype=np.int64)
        if len(self.active):
            at = np.lexsort((self.day, -self.total, self.group))[self.runs]
            day[self.active], total[self.active] = self.day[at], self.total[at]
        return day, total

    def first_above(self, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each group, whether some day's total exceeds ``limit[group]``, the first such day and its total.

        Day and total are 0 where no day exceeds the limit.
        """
        found = limit < 0  # a group no row reaches totals 0 from its first day on
        day = np.where(found, self.starts, 0).astype(np.int64)
        total = np.zeros(len(self.starts), dtype=np.int64)
        found[self.active] = False
        rows = np.flatnonzero(self.total > limit[self.group])
        groups, first = np.unique(self.group[rows], return_index=True)  # rows are in day order per group
        found[groups], day[groups], total[groups] = True, self.day[rows[first]], self.total[rows[first]]
        return found, day, total


def daily_totals(
    *,
    group: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    amount: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> DailyTotals:
    """The daily totals of each group ``0..len(starts)-1`` over its own days ``starts[g]..ends[g]``.

    Row i adds ``amount[i]`` to group ``group[i]`` on days ``first[i]..last[i]`` (both included);
    a day no row covers totals 0. Each row becomes +a on its first day inside the group's days and
    −a the day after its last, and each group a row reaches gets a 0 on its first day. Sorted by
    group and day, the running sum after a day's last event is that day's total; a group's events
    cancel out, so one running sum serves every group.
    """
    lo = np.maximum(first, starts[group])
    hi = np.minimum(last, ends[group])
    inside = lo <= hi
    owner = group[inside]
    active = np.flatnonzero(np.bincount(owner, minlength=len(starts)))
    groups = np.concatenate([owner, owner, active])
    days = np.concatenate([lo[inside], hi[inside] + 1, starts[active]])
    amounts = np.concatenate([amount[inside], -amount[inside], np.zeros(len(active), dtype=np.int64)])
    if len(days):
        # One sort key, group then day: events of the same group and day may come in any order.
        earliest = days.min()
        key = groups * (days.max() - earliest + 1) + (days - earliest)
        order = np.argsort(key, kind="stable")  # a radix or merge sort: faster than quicksort on these keys
        groups, days, key, running = groups[order], days[order], key[order], np.cumsum(amounts[order])
    else:
        key = running = days
    ends_a_day = np.ones(len(days), dtype=bool)
    ends_a_day[:-1] = key[1:] != key[:-1]
    keep = ends_a_day & (days <= ends[groups])
    owners = groups[keep]
    # Every active group keeps at least the total of its first day, so there is one run per active group.
    runs = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(owners) else np.zeros(0, dtype=np.int64)
    return DailyTotals(starts=starts, active=active, group=owners, day=days[keep], total=running[keep], runs=runs)


def free_capacity(
    *,
    capacity: np.ndarray,
    person: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    allocation: np.ndarray,
    window: tuple[int, int],
) -> np.ndarray:
    """``max(0, capacity − max over the days of the window of load(d))`` per person, in hundredths.

    Assignment i (confirmed) adds ``allocation[i]`` to person ``person[i]`` on days
    ``first[i]..last[i]``; people are ``0..len(capacity)-1``, the window's days are both included.
    """
    size = len(capacity)
    totals = daily_totals(
        group=person,
        first=first,
        last=last,
        amount=allocation,
        starts=np.full(size, window[0], dtype=np.int64),
        ends=np.full(size, window[1], dtype=np.int64),
    )
    return cast(np.ndarray, np.maximum(capacity - totals.greatest(), 0))


def unfilled_fte(*, fte: np.ndarray, first: np.ndarray, last: np.ndarray, covering: np.ndarray) -> np.ndarray:
    """``max(0, fte − min over the slot's days of covered(d))`` per slot, in hundredths.

    Slot i runs on days ``first[i]..last[i]``; ``covering`` rows are (slot position, first day,
    last day, allocation) of its confirmed assignments.
    """
    covered = daily_totals(
        group=covering[:, 0],
        first=covering[:, 1],
        last=covering[:, 2],
        amount=covering[:, 3],
        starts=first,
        ends=last,
    )
    return cast(np.ndarray, np.maximum(fte - covered.least(), 0))


# --- Dates and Decimal FTE -----------------------------------------------------------------------


def in_hundredths(fte: Decimal) -> int:
    """An FTE as whole hundredths (Decimal("0.5") → 50); FTE never has more than two decimals."""
    cents = fte.scaleb(2)
    if cents != cents.to_integral_value():
        raise ValueError(f"{fte} FTE has more than two decimals.")
    return int(cents)


def as_fte(cents: int | np.integer) -> Decimal:
    """Integer hundredths as an FTE with two decimals (50 → Decimal("0.50"))."""
    return Decimal(int(cents)).scaleb(-2)


def _span_columns(spans: Sequence[Span], origin: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First days, last days (counted from ``origin``) and allocations (hundredths) of ``spans``."""
    first = np.array([(s - origin).days for s, _, _ in spans], dtype=np.int64)
    last = np.array([(e - origin).days for _, e, _ in spans], dtype=np.int64)
    amount = np.array([in_hundredths(a) for _, _, a in spans], dtype=np.int64)
    return first, last, amount


def _totals_of_one(*, starts_on: dt.date, ends_on: dt.date, spans: Iterable[Span]) -> DailyTotals:
    """The daily totals of ``spans`` over ``starts_on..ends_on``, as one group counted from ``starts_on``."""
    spans = list(spans)
    first, last, amount = _span_columns(spans, starts_on)
    return daily_totals(
        group=np.zeros(len(spans), dtype=np.int64),
        first=first,
        last=last,
        amount=amount,
        starts=np.zeros(1, dtype=np.int64),
        ends=np.array([(ends_on - starts_on).days], dtype=np.int64),
    )


def peak_load(*, starts_on: dt.date, ends_on: dt.date, assignments: Iterable[Span]) -> tuple[dt.date, Decimal]:
    """The first day of ``starts_on..ends_on`` with the greatest total allocation, and that total."""
    day, total = _totals_of_one(starts_on=starts_on, ends_on=ends_on, spans=assignments).peaks()
    return starts_on + dt.timedelta(days=int(day[0])), as_fte(total[0])


def least_covered(*, starts_on: dt.date, ends_on: dt.date, assignments: Iterable[Span]) -> Decimal:
    """The least total allocation on any day of ``starts_on..ends_on`` (both included)."""
    return as_fte(_totals_of_one(starts_on=starts_on, ends_on=ends_on, spans=assignments).least()[0])


def slot_unfilled_fte(*, fte: Decimal, starts_on: dt.date, ends_on: dt.date, confirmed: Iterable[Span]) -> Decimal:
    """A slot's unfilled FTE, ``max(0, fte − min over its days of covered(d))``, from its confirmed spans."""
    return max(Decimal("0"), fte - least_covered(starts_on=starts_on, ends_on=ends_on, assignments=confirmed))


# --- The days a rule counts, and the over-fill rule ----------------------------------------------


def counted_days(*, starts_on: dt.date, ends_on: dt.date) -> list[dt.date]:
    """The days of ``starts_on..ends_on`` (both included) on which a slot's cover counts: every calendar day.

    The one seam for the day set of DESIGN.md §3.1: once business days land (weekends and holidays
    carry no load and deliver nothing), they replace these days here and every rule that takes
    ``days`` (``first_overfill``) follows.
    """
    return [starts_on + dt.timedelta(days=offset) for offset in range((ends_on - starts_on).days + 1)]


def totals_on(*, days: Sequence[dt.date], spans: Sequence[Span]) -> np.ndarray:
    """The total allocation of ``spans`` on each of ``days`` (in ascending order), in hundredths."""
    if not days:
        return np.zeros(0, dtype=np.int64)
    totals = _totals_of_one(starts_on=days[0], ends_on=days[-1], spans=spans)
    if not len(totals.active):
        return np.zeros(len(days), dtype=np.int64)
    # One group: row i holds from totals.day[i] until the next row, and the first row is on day 0.
    offsets = np.array([(day - days[0]).days for day in days], dtype=np.int64)
    return totals.total[np.searchsorted(totals.day, offsets, side="right") - 1]


@dataclass(frozen=True)
class Overfill:
    """A day on which a slot's confirmed cover exceeds its FTE, the cover then, and the FTE."""

    day: dt.date
    covered: Decimal
    fte: Decimal


def first_overfill(
    *, fte: Decimal, days: Sequence[dt.date], confirmed: Sequence[Span], before: Sequence[Span] | None = None
) -> Overfill | None:
    """The first of ``days`` on which the ``confirmed`` spans cover more than ``fte``; None if there is none.

    DESIGN.md §3.1, over-fill: ``covered(d) > fte`` on a counted day. With ``before`` (the slot's
    confirmed spans before a change), only a day that the change leaves covered more than before
    counts: a change that keeps or lowers the cover of an already over-filled day over-fills nothing.
    """
    after = totals_on(days=days, spans=confirmed)
    over = after > in_hundredths(fte)
    if before is not None:
        over &= after > totals_on(days=days, spans=before)
    found = np.flatnonzero(over)
    if not len(found):
        return None
    first = int(found[0])
    return Overfill(day=days[first], covered=as_fte(after[first]), fte=fte)


@dataclass(frozen=True)
class Overload:
    """A day on which a load exceeds a capacity, and the load then."""

    day: dt.date
    load: Decimal
    capacity: Decimal


def peaks_with(
    *, spans: Sequence[Span], others: Sequence[Sequence[Span]], capacity: Sequence[Decimal]
) -> list[Overload | None]:
    """For each span i, the peak of ``others[i]`` plus the span itself over the span's days, when it
    exceeds ``capacity[i]`` (the first day of the greatest load and that load); None where it fits."""
    if not spans:
        return []
    origin = min(s for s, _, _ in spans)
    groups = [[*others[index], span] for index, span in enumerate(spans)]
    first, last, amount = _span_columns([row for group in groups for row in group], origin)
    starts, ends, _ = _span_columns(spans, origin)
    day, load = daily_totals(
        group=np.repeat(np.arange(len(groups)), [len(group) for group in groups]),
        first=first,
        last=last,
        amount=amount,
        starts=starts,
        ends=ends,
    ).peaks()
    return [
        Overload(day=origin + dt.timedelta(days=int(day[i])), load=as_fte(load[i]), capacity=capacity[i])
        if load[i] > in_hundredths(capacity[i])
        else None
        for i in range(len(spans))
    ]


def first_overload(*, starts_on: dt.date, capacity: Decimal, confirmed: Sequence[Span]) -> Overload | None:
    """The first day from ``starts_on`` on whose load of ``confirmed`` spans exceeds ``capacity``; None if none.

    The rule a change of capacity must keep (DESIGN.md §3.1): ``load(d) ≤ capacity`` on every day.
    """
    if not confirmed:
        return None
    ends_on = max(starts_on, *(e for _, e, _ in confirmed))
    totals = _totals_of_one(starts_on=starts_on, ends_on=ends_on, spans=confirmed)
    found, day, load = totals.first_above(np.array([in_hundredths(capacity)], dtype=np.int64))
    if not found[0]:
        return None
    return Overload(day=starts_on + dt.timedelta(days=int(day[0])), load=as_fte(load[0]), capacity=capacity)


def weekly_peaks(
    *, starts_on: dt.date, weeks: int, confirmed: Sequence[Span], tentative: Sequence[Span]
) -> list[WeekLoad]:
    """For each of ``weeks`` weeks from ``starts_on``: its first day, the highest daily load of the
    ``confirmed`` spans in it, and the highest daily load of ``confirmed`` and ``tentative`` together.

    One day sweep gives both: week w's confirmed load is group w, its load with tentative
    assignments group ``weeks + w`` (the confirmed spans count in both, the tentative ones in the second).
    """
    spans = [*confirmed, *tentative]
    first, last, amount = _span_columns(spans, starts_on)
    week = np.arange(weeks, dtype=np.int64)
    solid = len(confirmed)

    def rows(columns: np.ndarray, count: int) -> np.ndarray:
        """``columns``' first ``count`` values for every week, then all of them for every week."""
        return np.concatenate([np.tile(columns[:count], weeks), np.tile(columns, weeks)])

    greatest = daily_totals(
        group=np.concatenate([np.repeat(week, solid), np.repeat(weeks + week, len(spans))]),
        first=rows(first, solid),
        last=rows(last, solid),
        amount=rows(amount, solid),
        starts=np.tile(week * 7, 2),
        ends=np.tile(week * 7 + 6, 2),
    ).greatest()
    return [
        (starts_on + dt.timedelta(weeks=index), as_fte(greatest[index]), as_fte(greatest[weeks + index]))
        for index in range(weeks)
    ]
