"""Small helpers shared by the pages of projects, slots and assignments, here and in the staffing pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from config.errors import RuleError
from people.access import may_change_projects
from projects.models import Project, RoleSlot
from projects.selectors import get_slot


def require_manager(request: HttpRequest) -> None:
    if not may_change_projects(request.user):
        raise PermissionDenied


def project_or_404(pk: int) -> Project:
    return get_object_or_404(Project, pk=pk)


def slot_or_404(pk: int, slot_id: int) -> RoleSlot:
    try:
        return get_slot(project_id=pk, slot_id=slot_id)
    except RoleSlot.DoesNotExist:
        raise Http404 from None


def show_refusal(request: HttpRequest, error: RuleError | ValidationError) -> None:
    """A refused action's reason as an error message, for actions that have no form of their own."""
    messages.error(request, error.message if isinstance(error, RuleError) else " ".join(error.messages))
