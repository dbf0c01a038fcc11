from contextlib import suppress
from datetime import date

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

from people.access import acting_user, may_change_closures, may_change_people, may_rate, visible_people
from people.calendar import MAX_YEAR, MIN_YEAR, add_closure, holidays_between, remove_closure
from people.filters import PersonFilter
from people.forms import AccountLinkForm, ClosureForm, RatingsForm
from people.models import Closure, RatingSource
from people.selectors import person_ratings_by_group, rating_source_for, with_level_in
from people.services import link_account, set_ratings, unlink_account
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
