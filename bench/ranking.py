"""Ranking candidates for a slot among 10,000 and 50,000 people rated on 12 skills.

Each size is measured beside its floor in the same run: the bare SQL fetch of the same ratings
through a cursor plus the NumPy fit and sort. ``rank_candidates`` is timed end to end, including
building the first page of 50 candidates. Goal: at most 1.5 times the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spectrum_bench .venv/bin/python bench/ranking.py
"""

import json
import statistics
import time
from collections.abc import Callable
from itertools import chain

import numpy as np
from _setup import load_organisation, organisation_name, parse_arguments, print_table, run_children, setup_django

SIZES = (10_000, 50_000)
RUNS = 7
PAGE = 50
GOAL = 1.5


def measure(people: int, runs: int) -> dict[str, float]:
    setup_django()
    load_organisation(people)
    from django.db import connection  # noqa: PLC0415

    from people.models import SkillRating  # noqa: PLC0415
    from projects.models import RoleSlot  # noqa: PLC0415
    from staffing.ranking import rank_candidates, round_fit  # noqa: PLC0415

    slot = RoleSlot.objects.get(title="Ranked slot", project__name=organisation_name(people))
    requirements = list(slot.requirements.order_by("skill_id").values_list("skill_id", "level", "weight"))
    skill_ids = [skill_id for skill_id, _, _ in requirements]
    required = np.array([level for _, level, _ in requirements], dtype=np.int64)
    weights = np.array([round(weight * 100) for _, _, weight in requirements], dtype=np.int64)
    total = int(required @ weights)
    column = np.zeros(max(skill_ids) + 1, dtype=np.int64)
    column[skill_ids] = np.arange(len(skill_ids))
    ratings = (
        SkillRating.objects.filter(skill_id__in=skill_ids).order_by().values_list("person_id", "skill_id", "level")
    )
    sql, params = ratings.query.sql_with_params()

    def floor() -> tuple[np.ndarray, np.ndarray]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=3 * len(rows)).reshape(-1, 3)
        first = flat[:, 0].min()
        levels = np.zeros((flat[:, 0].max() - first + 1, len(skill_ids)), dtype=np.int64)
        levels[flat[:, 0] - first, column[flat[:, 1]]] = flat[:, 2]
        shortfall = np.maximum(required - levels, 0) @ weights
        fit = round_fit(shortfall, total)
        return np.lexsort((np.arange(len(levels)), shortfall)), fit

    def ranked() -> list:
        return rank_candidates(slot=slot)[:PAGE]

    ranking = rank_candidates(slot=slot)
    if sorted(c.fit for c in ranking) != sorted(floor()[1].tolist()):
        raise SystemExit("the ranking and the floor disagree on the fits")

    floor_times, rank_times = _interleaved([floor, ranked], runs)
    ratios = [rank / floor for floor, rank in zip(floor_times, rank_times, strict=True)]
    return {
        "people": people,
        "ratings": len(skill_ids) * people,
        "candidates": len(ranking),
        "floor": statistics.median(floor_times),
        "rank": statistics.median(rank_times),
        "lowest": min(ratios),
        "highest": max(ratios),
    }


def _interleaved(functions: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Seconds of each run of each function, taking turns so that both see the same machine load."""
    for function in functions:
        function()
    timings: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for function, times in zip(functions, timings, strict=True):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
    return timings


def main() -> None:
    args = parse_arguments(__doc__, runs=RUNS)
    if args.people:
        print(json.dumps(measure(args.people, args.runs)))
        return

    results = run_children(__file__, SIZES, "--runs", str(args.runs))
    print(f"rank_candidates end to end (first page of {PAGE}) against the floor; median of {args.runs} runs")
    print("(run ratios: the lowest and highest rank/floor of a single run, which times one after the other)\n")
    print_table(
        ["people", "ratings", "floor ms", "rank ms", "rank - floor ms", "ratio", "run ratios", "goal", "met"],
        [
            [
                f"{r['people']:,}",
                f"{r['ratings']:,}",
                f"{r['floor'] * 1000:.1f}",
                f"{r['rank'] * 1000:.1f}",
                f"{(r['rank'] - r['floor']) * 1000:.1f}",
                f"{r['rank'] / r['floor']:.2f}x",
                f"{r['lowest']:.2f}-{r['highest']:.2f}x",
                f"<= {GOAL}x",
                "yes" if r["rank"] / r["floor"] <= GOAL else "NO",
            ]
            for r in results
        ],
    )


if __name__ == "__main__":
    main()
