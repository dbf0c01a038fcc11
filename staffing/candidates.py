"""Who may fill a slot, and in what order: the candidate rules of DESIGN.md §3 in one place.

The ranking, the project report's top candidates and the suggested team all read a slot's
candidates through ``slot_candidates`` and put them in order through ``CandidateOrder``:

- A person already confirmed on the slot is not a candidate.
- A candidate without a certification the slot requires, valid on every day of the slot, is
  ineligible, with the reason, and comes after every eligible candidate.
- Free capacity is taken over the slot's dates.
- The order: eligible first, fit high first, free capacity high first, then name, then id.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # the ranking's data module imports this one to rank
    from staffing.ranking import People, SlotDemand, StaffingData


@dataclass(frozen=True)
class SlotCandidates:
    """The figures of every person in ``data.people`` for one slot, as arrays by person position.

    ``gaps`` is people × the slot's requirements (levels missing), ``shortfall`` the weighted sum per
    person and ``total`` the slot's ``Σ w·r``; ``free`` is free capacity over the slot's dates
    (hundredths); ``missing`` is people × the slot's certifications (True where none is valid on
    every day). ``positions`` are the candidates, in id order.
    """

    positions: np.ndarray
    gaps: np.ndarray
    shortfall: np.ndarray
    total: int
    free: np.ndarray
    missing: np.ndarray

    @property
    def eligible(self) -> np.ndarray:
        """Per person: holds every certification the slot requires, valid on each of its days."""
        return ~np.asarray(self.missing.any(axis=1))

    def reasons(self, position: int, kinds: list[str]) -> list[str]:
        """Why a person is ineligible, one sentence per certification missing (``kinds`` are their names)."""
        return [
            f"No valid {kind} on every day of the slot"
            for kind, lacking in zip(kinds, self.missing[position], strict=True)
            if lacking
        ]


def slot_candidates(data: "StaffingData", demand: "SlotDemand", *, free: np.ndarray | None = None) -> SlotCandidates:
    """The candidates for ``demand`` among the people of ``data``, with their figures.

    ``free`` is everyone's free capacity over the slot's dates when the caller has it already (the
    suggested team derives it from the day segments it sweeps anyway); else it is swept here.
    """
    gaps, shortfall, total = data.shortfall(demand)
    if free is None:
        free = data.free_capacity(data.day(demand.starts_on), data.day(demand.ends_on))
    return SlotCandidates(
        positions=np.flatnonzero(~data.confirmed_on(demand.id)),
        gaps=gaps,
        shortfall=shortfall,
        total=total,
        free=free,
        missing=data.missing_certifications(demand),
    )


NAMES_AT_ONCE = 8  # reaching more than 1/8 of the people, take everyone's names at once


class CandidateOrder:
    """People positions in ranking order: eligible first, fit high first, free capacity high first,
    then name, then id.

    Within one slot ``Σ w·r`` is fixed, so a higher fit is exactly a lower weighted shortfall. The
    figures are sorted at once; names only when read, and only within the runs of people with equal
    figures that a read reaches, so reading a page sorts the names of a few people, not everyone's.
    """

    def __init__(self, *, people: "People", candidates: SlotCandidates, positions: np.ndarray | None = None) -> None:
        """``positions`` (in id order) default to every candidate."""
        kept = candidates.positions if positions is None else positions
        eligible, shortfall, free = candidates.eligible[kept], candidates.shortfall[kept], candidates.free[kept]
        # Stable: people with the same figures stay in id order until their run is put in name order.
        order = np.lexsort((-free, shortfall, ~eligible))
        figures = [eligible[order], shortfall[order], free[order]]
        changes = np.flatnonzero(np.any([column[1:] != column[:-1] for column in figures], axis=0)) + 1
        self._people = people
        self._order = kept[order]
        self._ties = np.concatenate([[0], changes, [len(order)]])  # run i is ties[i]..ties[i+1]-1
        self._named = np.zeros(len(self._ties) - 1, dtype=bool)  # the runs already in name order

    def __len__(self) -> int:
        return len(self._order)

    def ranked(self, start: int, stop: int) -> np.ndarray:
        """The positions ranked ``start..stop-1``, once the runs of ties they reach are in name order."""
        start, stop = max(start, 0), min(stop, len(self))
        if start < stop:
            first, last = np.searchsorted(self._ties, [start, stop - 1], side="right") - 1
            if not self._named[first : last + 1].all():
                low, high = self._ties[first], self._ties[last + 1]
                reached = self._order[low:high]
                runs = np.repeat(np.arange(first, last + 1), np.diff(self._ties[first : last + 2]))
                names = self._names(reached)
                self._order[low:high] = reached[np.lexsort((names, runs))]  # stable: equal names stay in id order
                self._named[first : last + 1] = True
        return self._order[start:stop]

    def _names(self, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.str_]:
        """The names of the people at ``positions``: read one by one for a few, else from everyone's."""
        if len(positions) * NAMES_AT_ONCE < len(self._people):
            rows = self._people.rows
            return np.array([rows[position][1] for position in positions.tolist()], dtype=str)
        return self._people.names[positions]

    def sliced(self, index: slice) -> np.ndarray:
        """The positions ranked at ``index`` (any slice, as of a list)."""
        chosen = range(len(self))[index]
        if chosen:
            self.ranked(min(chosen[0], chosen[-1]), max(chosen[0], chosen[-1]) + 1)
        return self._order[index]
