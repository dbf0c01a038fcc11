"""The day sweep of ``projects.load`` and its entry points, against a day-by-day reading of DESIGN.md §3."""

import datetime as dt
from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from projects.load import (
    Overfill,
    Overload,
    counted_days,
    daily_totals,
    first_overfill,
    first_overload,
    free_capacity,
    least_covered,
    peak_load,
    peaks_with,
    slot_unfilled_fte,
    totals_on,
    unfilled_fte,
    weekly_peaks,
)

D = dt.date


def fte(text: str) -> Decimal:
    return Decimal(text)


# --- Arrays --------------------------------------------------------------------------------------


def test_daily_totals_find_the_thinnest_and_the_busiest_day() -> None:
    # Group 0 runs days 0–9: 0.5 on days 0–9 and 0.3 on days 2–4; group 1 runs days 5–6, uncovered.
    spans = np.array([[0, 0, 9, 50], [0, 2, 4, 30], [1, -5, 3, 100]])
    totals = daily_totals(
        group=spans[:, 0],
        first=spans[:, 1],
        last=spans[:, 2],
        amount=spans[:, 3],
        starts=np.array([0, 5]),
        ends=np.array([9, 6]),
    )

    assert totals.least().tolist() == [50, 0]
    assert totals.greatest().tolist() == [80, 0]
    assert [values.tolist() for values in totals.peaks()] == [[2, 5], [80, 0]]


def test_free_capacity_takes_the_busiest_day_inside_the_window() -> None:
    # Person 0: 0.5 on days 0–9 and 0.3 on days 5–20 overlap on days 5–9; person 1: 0.4 on days 30–40.
    free = free_capacity(
        capacity=np.array([100, 50, 80]),
        person=np.array([0, 0, 1]),
        first=np.array([0, 5, 30]),
        last=np.array([9, 20, 40]),
        allocation=np.array([50, 30, 40]),
        window=(0, 31),
    )
    assert free.tolist() == [20, 10, 80]


def test_free_capacity_ignores_overlaps_outside_the_window_and_is_never_negative() -> None:
    columns = {"person": np.array([0, 0]), "first": np.array([0, 5]), "last": np.array([9, 20])}
    free = free_capacity(capacity=np.array([50]), allocation=np.array([50, 30]), window=(10, 31), **columns)
    assert free.tolist() == [20]
    free = free_capacity(capacity=np.array([50]), allocation=np.array([50, 30]), window=(0, 31), **columns)
    assert free.tolist() == [0]


def test_back_to_back_assignments_do_not_add_up() -> None:
    free = free_capacity(
        capacity=np.array([100]),
        person=np.array([0, 0]),
        first=np.array([0, 10]),
        last=np.array([9, 19]),
        allocation=np.array([60, 70]),
        window=(0, 19),
    )
    assert free.tolist() == [30]


def test_unfilled_fte_is_fte_less_the_thinnest_covered_day() -> None:
    unfilled = unfilled_fte(
        fte=np.array([100, 50, 40]),
        first=np.array([0, 0, 0]),
        last=np.array([9, 9, 9]),
        covering=np.array([[0, 0, 9, 60], [0, 0, 4, 30], [1, 0, 8, 50], [2, 0, 9, 50]]),
    )
    assert unfilled.tolist() == [40, 50, 0]


def test_nothing_to_sweep_gives_nothing() -> None:
    empty = np.zeros(0, dtype=np.int64)
    totals = daily_totals(group=empty, first=empty, last=empty, amount=empty, starts=empty, ends=empty)
    assert (totals.least().tolist(), totals.greatest().tolist()) == ([], [])


# --- Dates and Decimal FTE -----------------------------------------------------------------------


def test_least_covered_is_zero_on_an_uncovered_day() -> None:
    spans = [(D(2027, 1, 1), D(2027, 1, 10), fte("0.5")), (D(2027, 1, 12), D(2027, 1, 31), fte("0.5"))]
    assert least_covered(starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31), assignments=spans) == Decimal("0")


def test_least_covered_takes_the_thinnest_day_of_overlapping_spans() -> None:
    spans = [
        (D(2027, 1, 1), D(2027, 1, 31), fte("0.5")),
        (D(2026, 12, 1), D(2027, 1, 20), fte("0.3")),
        (D(2027, 1, 21), D(2027, 2, 28), fte("0.2")),
    ]
    # 0.8 until the 20th, 0.7 from the 21st.
    assert least_covered(starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31), assignments=spans) == Decimal("0.7")
    assert slot_unfilled_fte(fte=fte("1.00"), starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31), confirmed=spans) == (
        Decimal("0.30")
    )


def test_peak_load_names_the_first_busiest_day_with_two_decimals() -> None:
    spans = [(D(2027, 1, 3), D(2027, 1, 9), fte("0.5")), (D(2027, 1, 5), D(2027, 2, 9), fte("0.60"))]
    day, load = peak_load(starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31), assignments=spans)
    assert (day, str(load)) == (D(2027, 1, 5), "1.10")


def test_each_tentative_span_is_checked_against_its_own_others() -> None:
    january, february = (D(2027, 1, 4), D(2027, 1, 8)), (D(2027, 2, 1), D(2027, 2, 5))
    found = peaks_with(
        spans=[(*january, fte("0.50")), (*february, fte("0.50"))],
        others=[[(D(2027, 1, 6), D(2027, 1, 20), fte("0.60"))], [(D(2027, 1, 6), D(2027, 1, 20), fte("0.60"))]],
        capacity=[fte("1.00"), fte("1.00")],
    )
    assert found == [Overload(day=D(2027, 1, 6), load=fte("1.10"), capacity=fte("1.00")), None]


def test_first_overload_is_the_first_day_above_the_capacity_from_the_start() -> None:
    confirmed = [
        (D(2027, 1, 1), D(2027, 1, 31), fte("0.50")),  # over 0.40 before the start only counts from it
        (D(2027, 1, 20), D(2027, 1, 25), fte("0.30")),
    ]
    assert first_overload(starts_on=D(2027, 1, 10), capacity=fte("0.40"), confirmed=confirmed) == Overload(
        day=D(2027, 1, 10), load=fte("0.50"), capacity=fte("0.40")
    )
    assert first_overload(starts_on=D(2027, 1, 10), capacity=fte("0.60"), confirmed=confirmed) == Overload(
        day=D(2027, 1, 20), load=fte("0.80"), capacity=fte("0.60")
    )
    assert first_overload(starts_on=D(2027, 1, 10), capacity=fte("0.80"), confirmed=confirmed) is None
    assert first_overload(starts_on=D(2027, 2, 1), capacity=fte("0.10"), confirmed=confirmed) is None


def test_weekly_peaks_take_each_weeks_busiest_day_with_and_without_tentative() -> None:
    monday = D(2027, 1, 4)
    peaks = weekly_peaks(
        starts_on=monday,
        weeks=3,
        confirmed=[(D(2027, 1, 3), D(2027, 1, 9), fte("0.50"))],
        tentative=[(D(2027, 1, 12), D(2027, 1, 12), fte("0.25")), (D(2027, 1, 9), D(2027, 1, 9), fte("0.25"))],
    )
    assert [(day, str(peak), str(both)) for day, peak, both in peaks] == [
        (monday, "0.50", "0.75"),
        (D(2027, 1, 11), "0.00", "0.25"),
        (D(2027, 1, 18), "0.00", "0.00"),
    ]


# --- Against the arithmetic day by day -----------------------------------------------------------

spans_strategy = st.lists(
    st.tuples(st.integers(-5, 40), st.integers(0, 20), st.integers(1, 100)).map(
        lambda t: (D(2027, 1, 10) + dt.timedelta(days=t[0]), D(2027, 1, 10) + dt.timedelta(days=t[0] + t[1]), t[2])
    ),
    max_size=8,
)


@given(spans=spans_strategy, window=st.tuples(st.integers(0, 30), st.integers(0, 20)), limit=st.integers(0, 300))
def test_the_entry_points_agree_with_a_day_by_day_sum(
    spans: list[tuple[dt.date, dt.date, int]], window: tuple[int, int], limit: int
) -> None:
    starts_on = D(2027, 1, 10) + dt.timedelta(days=window[0])
    ends_on = starts_on + dt.timedelta(days=window[1])
    as_fte = [(s, e, Decimal(a) / 100) for s, e, a in spans]
    days = [starts_on + dt.timedelta(days=n) for n in range(window[1] + 1)]
    load = [sum((a for s, e, a in as_fte if s <= day <= e), Decimal("0")) for day in days]
    busiest = max(load)

    assert peak_load(starts_on=starts_on, ends_on=ends_on, assignments=as_fte) == (days[load.index(busiest)], busiest)
    assert least_covered(starts_on=starts_on, ends_on=ends_on, assignments=as_fte) == min(load)

    # A week's peaks, confirmed and with the tentative spans, come from the same one sweep.
    tentative, confirmed = as_fte[::2], as_fte[1::2]
    monday = starts_on - dt.timedelta(days=starts_on.weekday())
    weeks = [[monday + dt.timedelta(days=7 * week + n) for n in range(7)] for week in range(window[1] // 7 + 1)]

    def peak_of(spans: list[tuple[dt.date, dt.date, Decimal]], days: list[dt.date]) -> Decimal:
        return max(sum((a for s, e, a in spans if s <= day <= e), Decimal("0")) for day in days)

    assert weekly_peaks(starts_on=monday, weeks=len(weeks), confirmed=confirmed, tentative=tentative) == [
        (days[0], peak_of(confirmed, days), peak_of(as_fte, days)) for days in weeks
    ]

    later = [(s, e, a) for s, e, a in as_fte if e <= ends_on]
    capacity = Decimal(limit) / 100
    over = [
        (day, total)
        for day in days
        if (total := sum((a for s, e, a in later if s <= day <= e), Decimal("0"))) > capacity
    ]
    found = first_overload(starts_on=starts_on, capacity=capacity, confirmed=later)
    assert found == (Overload(day=over[0][0], load=over[0][1], capacity=capacity) if over else None)


# --- The over-fill rule ---------------------------------------------------------------------------


def test_counted_days_are_every_calendar_day_for_now() -> None:
    assert counted_days(starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 4)) == [
        D(2027, 1, 1),
        D(2027, 1, 2),
        D(2027, 1, 3),
        D(2027, 1, 4),
    ]


def test_totals_on_reads_the_cover_of_the_given_days_only() -> None:
    spans = [(D(2027, 1, 2), D(2027, 1, 3), fte("0.50")), (D(2027, 1, 3), D(2027, 1, 9), fte("0.25"))]
    days = [D(2027, 1, 1), D(2027, 1, 3), D(2027, 1, 9), D(2027, 1, 10)]  # a seam: any ascending day set

    assert totals_on(days=days, spans=spans).tolist() == [0, 75, 25, 0]
    assert totals_on(days=days, spans=[]).tolist() == [0, 0, 0, 0]


def test_the_first_overfill_is_the_first_counted_day_above_the_fte() -> None:
    days = counted_days(starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31))
    confirmed = [(D(2027, 1, 1), D(2027, 1, 31), fte("0.50")), (D(2027, 1, 10), D(2027, 1, 12), fte("0.10"))]

    assert first_overfill(fte=fte("0.50"), days=days, confirmed=confirmed) == Overfill(
        day=D(2027, 1, 10), covered=fte("0.60"), fte=fte("0.50")
    )
    assert first_overfill(fte=fte("0.60"), days=days, confirmed=confirmed) is None
    # Leaving the over-filled days out of the day set (as business days will leave out weekends) clears it.
    assert first_overfill(fte=fte("0.50"), days=[d for d in days if not 10 <= d.day <= 12], confirmed=confirmed) is None


def test_a_change_over_fills_only_days_it_covers_more_than_before() -> None:
    days = counted_days(starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 31))
    before = [(D(2027, 1, 1), D(2027, 1, 31), fte("0.50")), (D(2027, 1, 1), D(2027, 1, 5), fte("0.50"))]
    eased = [(D(2027, 1, 1), D(2027, 1, 31), fte("0.50")), (D(2027, 1, 1), D(2027, 1, 5), fte("0.20"))]
    moved = [(D(2027, 1, 1), D(2027, 1, 31), fte("0.50")), (D(2027, 1, 1), D(2027, 1, 7), fte("0.20"))]

    assert first_overfill(fte=fte("0.50"), days=days, confirmed=eased, before=before) is None
    assert first_overfill(fte=fte("0.50"), days=days, confirmed=moved, before=before) == Overfill(
        day=D(2027, 1, 6), covered=fte("0.70"), fte=fte("0.50")
    )
