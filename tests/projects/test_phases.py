import pytest
from django.contrib.auth.models import User

from config.errors import RuleError
from projects.models import Phase, PhaseTransition
from projects.services import advance_phase
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def moves(project) -> list[tuple[str, str, str, str]]:
    return [
        (t.from_phase, t.to_phase, t.moved_by.username, t.note)
        for t in PhaseTransition.objects.filter(project=project).select_related("moved_by")
    ]


def test_a_project_moves_forward_one_phase_and_the_move_is_recorded(manager: User) -> None:
    project = ProjectFactory()

    advance_phase(project=project, to=Phase.DATA_UNDERSTANDING, note="Data access agreed", actor=manager)

    project.refresh_from_db()
    assert project.phase == Phase.DATA_UNDERSTANDING
    assert moves(project) == [("problem-understanding", "data-understanding", "manager", "Data access agreed")]


def test_it_walks_every_phase_to_closed(manager: User) -> None:
    project = ProjectFactory()
    for phase in ["data-understanding", "implementation", "closed"]:
        advance_phase(project=project, to=phase, actor=manager)

    project.refresh_from_db()
    assert project.phase == "closed"
    assert [m[1] for m in moves(project)] == ["data-understanding", "implementation", "closed"]


def test_skipping_a_phase_is_refused_and_changes_nothing(manager: User) -> None:
    project = ProjectFactory()

    with pytest.raises(RuleError, match="cannot be skipped: move to data understanding first"):
        advance_phase(project=project, to=Phase.IMPLEMENTATION, actor=manager)

    project.refresh_from_db()
    assert (project.phase, moves(project)) == ("problem-understanding", [])


def test_moving_back_needs_a_note(manager: User) -> None:
    project = ProjectFactory(phase=Phase.IMPLEMENTATION)

    with pytest.raises(RuleError, match="needs a note"):
        advance_phase(project=project, to=Phase.DATA_UNDERSTANDING, note="  ", actor=manager)
    advance_phase(project=project, to=Phase.PROBLEM_UNDERSTANDING, note="Scope changed", actor=manager)

    project.refresh_from_db()
    assert project.phase == "problem-understanding"
    assert moves(project) == [("implementation", "problem-understanding", "manager", "Scope changed")]


@pytest.mark.parametrize(("to", "message"), [("problem-understanding", "already in"), ("nowhere", "is not a phase")])
def test_staying_put_or_an_unknown_phase_is_refused(manager: User, to: str, message: str) -> None:
    project = ProjectFactory()

    with pytest.raises(RuleError, match=message):
        advance_phase(project=project, to=to, actor=manager)

    assert moves(project) == []
