"""Suggesting a team for a project of 8 open slots that overlap in time, among 2,000 candidates.

Times ``suggest_team`` end to end (queries, arrays, the exact integer program and the greedy
baseline) and shows how far the exact objective is above the greedy one. Goal: at most 2 seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spectrum_bench .venv/bin/python bench/suggest.py
"""

import json
import time

from _setup import (
    load_organisation,
    median_seconds,
    organisation_name,
    parse_arguments,
    print_table,
    run_children,
    setup_django,
)

PEOPLE = 2_000
RUNS = 7
GOAL_SECONDS = 2.0


def measure(people: int, runs: int) -> dict[str, object]:
    setup_django()
    load_organisation(people)
    from projects.models import Project  # noqa: PLC0415
    from staffing.ranking import load_demands, load_staffing_data  # noqa: PLC0415
    from staffing.suggest import build_problem, solve_exactly, solve_greedily, suggest_team  # noqa: PLC0415

    project = Project.objects.get(name=organisation_name(people))
    team = suggest_team(project=project)
    slots = list(project.slots.filter(closed_at__isnull=True, unfilled_fte__gt=0).order_by("starts_on", "id"))
    demands = load_demands(slots)
    problem = build_problem(load_staffing_data(demands), demands)

    def solve() -> None:
        solve_exactly(problem)

    def greedy() -> None:
        solve_greedily(problem)

    return {
        "people": people,
        "slots": len(slots),
        "total": median_seconds(lambda: suggest_team(project=project), runs),
        "solve": median_seconds(solve, runs),
        "greedy": median_seconds(greedy, runs),
        "objective": team.objective,
        "greedy_objective": team.greedy_objective,
        "filled": len(team.assignments),
        "greedy_filled": len(team.greedy_assignments),
    }


def main() -> None:
    args = parse_arguments(__doc__, runs=RUNS)
    if args.people:
        print(json.dumps(measure(args.people, args.runs)))
        return

    started = time.perf_counter()
    (result,) = run_children(__file__, [PEOPLE], "--runs", str(args.runs))
    print(f"suggest_team end to end; median of {args.runs} runs (set-up {time.perf_counter() - started:.1f}s)\n")
    print_table(
        ["candidates", "slots", "total ms", "MILP ms", "greedy ms", "objective", "greedy", "gain", "goal", "met"],
        [
            [
                f"{result['people']:,}",
                str(result["slots"]),
                f"{result['total'] * 1000:.0f}",
                f"{result['solve'] * 1000:.1f}",
                f"{result['greedy'] * 1000:.1f}",
                f"{result['objective']:.4f} ({result['filled']} filled)",
                f"{result['greedy_objective']:.4f} ({result['greedy_filled']} filled)",
                f"{result['objective'] - result['greedy_objective']:+.4f}",
                f"<= {GOAL_SECONDS:.0f} s",
                "yes" if result["total"] <= GOAL_SECONDS else "NO",
            ]
        ],
    )


if __name__ == "__main__":
    main()
