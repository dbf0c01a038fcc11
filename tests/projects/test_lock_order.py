"""Services that lock several rows take them in one order, so concurrent changes queue up instead of
deadlocking; a deadlock PostgreSQL still reports is retried once, then refused as "try again"."""

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from config.api import exception_handler
from config.db import is_lock_conflict, retry_once_on_lock_conflict
from config.errors import LockConflictError, RuleError
from people.models import Team
from projects.load import peak_load
from projects.models import Assignment, AssignmentChange, AssignmentStatus, RoleSlot
from projects.selectors import compute_unfilled_fte
from projects.services import assign_person, change_assignment, close_slot
from tests.factories import PersonFactory, ProjectFactory, RoleSlotFactory

PEOPLE = 4  # each confirmed twice at once: their tentative assignment, and a new confirmed one
TRIALS = 40
STARTS_ON, ENDS_ON = dt.date(2027, 3, 1), dt.date(2027, 3, 31)


def _run_at_once(work: list[Callable[[], str]]) -> list[str]:
    """Run each piece of work in its own thread and database connection, all released together."""
    outcomes: list[str] = []
    barrier = threading.Barrier(len(work))

    def run(job: Callable[[], str]) -> None:
        barrier.wait()
        try:
            outcomes.append(job())
        except RuleError as refused:
            outcomes.append("conflict" if isinstance(refused, LockConflictError) else "refused")
        except Exception as error:  # anything else is what the test looks for
            outcomes.append(f"error {type(error).__name__}: {str(error).splitlines()[0]}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _close_while_confirming() -> list[str]:
    """One trial: a slot with four people proposed on it is closed while eight connections confirm them."""
    project = ProjectFactory(starts_on=STARTS_ON, ends_on=ENDS_ON)
    slot = RoleSlotFactory(project=project, fte=Decimal("1.00"))
    people = [PersonFactory(capacity_fte=Decimal("0.50")) for _ in range(PEOPLE)]
    proposed = [
        assign_person(
            slot=slot,
            person=person,
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
            allocation=Decimal("0.30"),
            status=AssignmentStatus.TENTATIVE,
            actor=None,
        )
        for person in people
    ]

    def confirm_proposal(assignment: Assignment) -> Callable[[], str]:
        def job() -> str:
            change_assignment(assignment=assignment, status=AssignmentStatus.CONFIRMED, actor=None)
            return "confirmed"

        return job

    def confirm_anew(person_index: int) -> Callable[[], str]:
        def job() -> str:
            assign_person(
                slot=slot,
                person=people[person_index],
                starts_on=STARTS_ON,
                ends_on=ENDS_ON,
                allocation=Decimal("0.30"),
                status=AssignmentStatus.CONFIRMED,
                actor=None,
            )
            return "confirmed"

        return job

    def close() -> str:
        close_slot(slot=slot, actor=None)
        return "closed"

    confirmations = [job for i in range(PEOPLE) for job in (confirm_proposal(proposed[i]), confirm_anew(i))]
    outcomes = _run_at_once([*confirmations[:4], close, *confirmations[4:]])
    problems = [outcome for outcome in outcomes if outcome.startswith("error")]

    slot = RoleSlot.objects.get(pk=slot.pk)
    on_slot = list(slot.assignments.all())
    assert outcomes.count("confirmed") == len(on_slot) - sum(a.status == AssignmentStatus.TENTATIVE for a in on_slot)
    if slot.closed_at is not None:
        # Closing releases the tentative assignments and keeps the confirmed ones; none comes in after it.
        assert [a for a in on_slot if a.status == AssignmentStatus.TENTATIVE] == []
        released = AssignmentChange.objects.filter(project=project, action=AssignmentChange.Action.RELEASED)
        assert released.count() == PEOPLE - sum(a.pk in {p.pk for p in proposed} for a in on_slot)
    assert slot.unfilled_fte == compute_unfilled_fte(slot=slot)
    for person in people:
        confirmed = Assignment.objects.filter(person=person, status=AssignmentStatus.CONFIRMED)
        _, peak = peak_load(
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
            assignments=list(confirmed.values_list("starts_on", "ends_on", "allocation")),
        )
        assert peak <= person.capacity_fte
    return problems


@pytest.mark.django_db(transaction=True)
def test_closing_a_slot_while_eight_connections_confirm_into_it_never_fails() -> None:
    problems = [problem for _ in range(TRIALS) for problem in _close_while_confirming()]

    assert problems == []


# --- The retry, with the errors PostgreSQL itself raises ------------------------------------------


def _give_up(code: str) -> None:
    """Have PostgreSQL give the current transaction up with ``code``, as it does a deadlock's victim."""
    with connection.cursor() as cursor:
        cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'given up' USING ERRCODE = '{code}'; END $$")


def _team_maker(*, collisions: int, code: str = "deadlock_detected") -> tuple[Callable[[], Team], list[int]]:
    """A transaction that saves a team and then collides ``collisions`` times before it succeeds."""
    runs: list[int] = []

    @retry_once_on_lock_conflict
    @transaction.atomic
    def make_team() -> Team:
        runs.append(1)
        team = Team.objects.create(name="Imaging")
        if len(runs) <= collisions:
            _give_up(code)
        return team

    return make_team, runs


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("code", ["deadlock_detected", "serialization_failure"])
def test_a_transaction_given_up_once_runs_again_whole(code: str) -> None:
    make_team, runs = _team_maker(collisions=1, code=code)

    team = make_team()

    assert len(runs) == 2
    assert list(Team.objects.values_list("pk", "name")) == [(team.pk, "Imaging")]  # the first run left nothing


@pytest.mark.django_db(transaction=True)
def test_a_transaction_given_up_twice_is_refused_with_try_again_and_saves_nothing() -> None:
    make_team, runs = _team_maker(collisions=2)

    with pytest.raises(LockConflictError, match="try again") as refused:
        make_team()

    assert len(runs) == 2
    assert is_lock_conflict(refused.value.__cause__)
    assert not Team.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried() -> None:
    make_team, runs = _team_maker(collisions=1, code="unique_violation")

    with pytest.raises(IntegrityError):
        make_team()

    assert len(runs) == 1


@pytest.mark.django_db
def test_inside_an_open_transaction_it_runs_once_and_leaves_the_retry_to_the_outermost() -> None:
    make_team, runs = _team_maker(collisions=1)

    with pytest.raises(OperationalError, match="given up"):
        make_team()

    assert len(runs) == 1


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_lock_conflict_409_try_again() -> None:
    make_team, _ = _team_maker(collisions=2)
    with pytest.raises(LockConflictError) as refused:
        make_team()
    with pytest.raises(OperationalError) as unconverted:
        _give_up("deadlock_detected")

    for error in (refused.value, unconverted.value):
        response = exception_handler(error, {})
        assert response is not None
        assert (response.status_code, response.data) == (
            409,
            {"detail": "Someone else was changing the same records at the same moment; nothing was saved, try again."},
        )
