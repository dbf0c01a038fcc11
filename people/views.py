from contextlib import suppress
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from people.access import (
    Viewer,
    acting_user,
    may_change_closures,
    may_change_people,
    may_rate,
    may_record_absence,
    visible_absences,
    visible_people,
)
from people.calendar import MAX_YEAR, MIN_YEAR, add_closure, holidays_between, remove_closure
from people.filters import PersonFilter
from people.forms import AbsenceForm, AccountLinkForm, ClosureForm, RatingsForm
from people.models import Absence, Closure, Person, RatingSource
from people.selectors import (
    ABSENCE_CHANGES_SHOWN,
    absence_changes_of,
    absence_row,
    absences_of,
    person_ratings_by_group,
    rating_source_for,
    with_level_in,
)
from people.services import (
    change_absence,
    delete_absence,
    link_account,
    record_absence,
    set_ratings,
    unlink_account,
)
from ui.formats import format_date
from ui.forms import add_service_errors
from ui.htmx import wants_fragment

PAGE_SIZE = 25


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """The people the user may see, filtered as ``GET people/`` filters them (``PersonFilter``), 25 a page.

    Invalid fields drop out of the filter, so the list is filtered by whatever was valid.
    """
    people = visible_people(request.user).select_related("profession", "team").order_by("name", "id")
    person_filter = PersonFilter(request.GET, queryset=people)
    people = person_filter.qs
    skill, level = person_filter.skill_level or (None, None)
    if skill is not None:
        people = with_level_in(people=people, skill=skill)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    fragment = wants_fragment(request)
    context = {
        "section": "people",
        "form": person_filter.form,
        "page": page,
        "skill": skill,
        "level": level,
        "fragment": fragment,
    }
    template = "people/_person_results.html" if fragment else "people/person_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def person_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate a person's skills (GET shows every skill of the catalogue, POST saves the changed levels).

    Open to whoever may rate the person: a lead of their team gives lead ratings, the person
    themselves a self-assessment. Someone who may see the person but not rate them gets a 403.
    """
    person = get_object_or_404(visible_people(request.user).select_related("profession", "team"), pk=pk)
    if not may_rate(request.user, person):
        raise PermissionDenied
    as_lead = rating_source_for(actor=request.user, person=person) == RatingSource.LEAD
    data = request.POST if request.method == "POST" else None
    form = RatingsForm(data, groups=person_ratings_by_group(person=person), as_lead=as_lead)
    if request.method == "POST" and form.is_valid():
        levels = form.levels_to_save()
        if not levels:
            messages.info(request, "No ratings changed.")
            return redirect("person_detail", person.pk)
        try:
            set_ratings(person=person, levels=levels, actor=acting_user(request.user))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            count = len(levels)
            messages.success(request, f"Saved {count} rating change{pluralize(count)} for {person.name}.")
            return redirect("person_detail", person.pk)
    return render(
        request,
        "people/person_ratings.html",
        {"section": "people", "person": person, "form": form, "as_lead": as_lead},
    )


@login_required
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a sign-in account to a person, or unlink it (managers; ``may_change_people``).

    GET shows the person's account and the accounts that could be linked; POST ``action=link`` with
    ``user``, or ``action=unlink``, then returns to the person's page. A refusal (an account already
    linked to someone) shows the form again with the reason and changes nothing.
    """
    person = get_object_or_404(visible_people(request.user).select_related("user", "team"), pk=pk)
    if not may_change_people(request.user):
        raise PermissionDenied
    form = AccountLinkForm(request.POST if request.POST.get("action") == "link" else None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "unlink":
        username = person.user.username if person.user else None
        unlink_account(person=person, actor=acting_user(request.user))
        if username:
            messages.success(request, f"Unlinked the account “{username}” from {person.name}.")
        return redirect("person_detail", person.pk)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            link_account(person=person, user=user, actor=acting_user(request.user))
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            messages.success(request, f"Linked the account “{user.username}” to {person.name}.")
            return redirect("person_detail", person.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request, "people/person_account.html", {"section": "people", "person": person, "form": form}, status=status
    )


# --- Absences ------------------------------------------------------------------------------------


def absence_section(*, user: Viewer, person: Person) -> dict[str, Any]:
    """The context of a person's page's "Absences" section (``people/_absences.html``): their absences
    as ``user`` may see them, whether ``user`` may record them, and, for those who may, the audit trail."""
    may_record = may_record_absence(user, person)
    return {
        "absences": absences_of(user=user, person=person),
        "may_record_absence": may_record,
        "absence_changes": absence_changes_of(person=person) if may_record else [],
        "absence_changes_shown": ABSENCE_CHANGES_SHOWN,
    }


def _recordable_absence(request: HttpRequest, pk: int) -> Absence:
    """An absence the user may see (404 otherwise) and change (403 otherwise)."""
    absence = get_object_or_404(visible_absences(request.user).select_related("person"), pk=pk)
    if not may_record_absence(request.user, absence.person):
        raise PermissionDenied
    return absence


def _absence_form_page(request: HttpRequest, *, person: Person, form: AbsenceForm, status: int) -> HttpResponse:
    return render(
        request, "people/absence_form.html", {"section": "people", "person": person, "form": form}, status=status
    )


@login_required
def absence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an absence of a person: their own, their team's people's for a lead, anyone's for a manager."""
    person = get_object_or_404(visible_people(request.user), pk=pk)
    if not may_record_absence(request.user, person):
        raise PermissionDenied
    form = AbsenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_absence(person=person, **form.cleaned_data, actor=acting_user(request.user))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recorded an absence of {person.name}.")
            return redirect("person_detail", person.pk)
    return _absence_form_page(request, person=person, form=form, status=400 if form.errors else 200)


@login_required
def absence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an absence's dates, fraction, kind or note."""
    absence = _recordable_absence(request, pk)
    form = AbsenceForm.of(absence, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change_absence(absence=absence, changes=form.cleaned_data, actor=acting_user(request.user))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the absence of {absence.person.name}.")
            return redirect("person_detail", absence.person_id)
    return _absence_form_page(request, person=absence.person, form=form, status=400 if form.errors else 200)


@login_required
def absence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes the absence (the audit trail keeps it)."""
    absence = _recordable_absence(request, pk)
    if request.method == "POST":
        delete_absence(absence=absence, actor=acting_user(request.user))
        messages.success(request, f"Deleted the absence of {absence.person.name}.")
        return redirect("person_detail", absence.person_id)
    return render(
        request, "people/absence_delete.html", {"section": "people", "absence": absence, "row": absence_row(absence)}
    )


def _year_asked(request: HttpRequest) -> int:
    """The year in ``?year=`` when it is one a holiday list covers; this year otherwise."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


@login_required
def holiday_list(request: HttpRequest) -> HttpResponse:
    """The organisation's holidays of a year (``?year=``, this year by default): the region's public
    holidays and the managers' closures in one list. Managers add a closure here (POST)."""
    may_change = may_change_closures(request.user)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = ClosureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                closure = add_closure(
                    day=form.cleaned_data["date"], name=form.cleaned_data["name"], actor=acting_user(request.user)
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Added the closure {closure.name} on {format_date(closure.date)}.")
                return redirect(f"{reverse('holiday_list')}?year={closure.date.year}")
        status = 400
    year = form.cleaned_data["date"].year if form.is_bound and "date" in form.cleaned_data else _year_asked(request)
    context = {
        "section": "holidays",
        "year": year,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "holidays": holidays_between(starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)),
        "form": form,
        "may_change": may_change,
        "region": settings.HOLIDAY_REGION,
    }
    return render(request, "people/holidays.html", context, status=status)


@login_required
def closure_remove(request: HttpRequest, day: str) -> HttpResponse:
    """Remove a closure (managers): GET asks to confirm, POST removes it and returns to its year."""
    if not may_change_closures(request.user):
        raise PermissionDenied
    try:
        on = date.fromisoformat(day)
    except ValueError:
        raise Http404("No such date.") from None
    closure = get_object_or_404(Closure.objects.select_related("created_by"), date=on)
    if request.method == "POST":
        # Removed by someone else a moment ago is the outcome asked for.
        with suppress(Closure.DoesNotExist):
            remove_closure(day=closure.date, actor=acting_user(request.user))
        messages.success(request, f"Removed the closure {closure.name} on {format_date(closure.date)}.")
        return redirect(f"{reverse('holiday_list')}?year={closure.date.year}")
    return render(request, "people/closure_remove.html", {"section": "holidays", "closure": closure})
