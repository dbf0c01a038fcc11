"""Names that a spreadsheet would read as a formula are written as plain text in every download.

A person or a slot named ``=HYPERLINK("http://x","y")`` must never become a live formula: following
OWASP's advice on CSV injection, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a single quote in front, in the CSV file and in the workbook (where
it is also a string cell, never a formula). Numbers stay numbers, negative ones included.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from people.models import Person
from projects.models import RoleSlot
from staffing.models import Report
from tests.conftest import API
from tests.factories import (
    PersonFactory,
    SkillRatingFactory,
    build_organisation_report,
    build_staffed_project,
    finish_report,
)

pytestmark = pytest.mark.django_db

REPORTS = API + "reports/"
DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd"]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode(), newline="")))


@pytest.fixture
def named_report(request: pytest.FixtureRequest, manager: User) -> Report:
    """A finished project report whose person and slot are both called ``request.param``."""
    project = build_staffed_project()
    Person.objects.filter(name="Ann Analyst").update(name=request.param)
    RoleSlot.objects.filter(project=project).update(title=request.param)
    return finish_report(Report.objects.create(kind="project", project=project, requested_by=manager))


@pytest.mark.parametrize("named_report", DANGEROUS, indirect=True)
def test_a_dangerous_name_is_quoted_in_the_csv_file(manager_api: APIClient, named_report: Report) -> None:
    name = Person.objects.get().name

    rows = csv_rows(manager_api.get(f"{REPORTS}{named_report.pk}/export.csv").content)

    unfilled = rows[rows.index(["Unfilled slots"]) + 2]
    training = rows[rows.index(["Training suggestions"]) + 2]
    assert (unfilled[1], training[1]) == ("'" + name, "'" + name)


@pytest.mark.parametrize("named_report", DANGEROUS, indirect=True)
def test_a_dangerous_name_is_a_quoted_string_cell_in_the_workbook(manager_api: APIClient, named_report: Report) -> None:
    name = Person.objects.get().name

    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{named_report.pk}/export.xlsx").content))

    slot, person = workbook["Unfilled slots"]["B2"], workbook["Training suggestions"]["B2"]
    quoted = "'" + name.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert [(slot.data_type, slot.value), (person.data_type, person.value)] == [("s", quoted), ("s", quoted)]


def test_a_negative_number_stays_a_number_in_both_files(manager_api: APIClient, manager: User) -> None:
    build_staffed_project()  # half an FTE of statistics at 4 wanted; Ann's free half at 3
    SkillRatingFactory(person=PersonFactory(name="Sam Spare"), level=4)  # a whole free FTE at 4
    report = finish_report(build_organisation_report(requested_by=manager))

    rows = csv_rows(manager_api.get(f"{REPORTS}{report.pk}/export.csv").content)
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{report.pk}/export.xlsx").content))

    assert rows[5] == ["Statistics", "4", "0.50", "1.00", "-0.50", "Data scientist"]
    gap = workbook["Skill gaps"]["E5"]
    assert (gap.data_type, gap.value) == ("n", -0.5)


def test_a_harmless_name_is_written_as_it_is(manager_api: APIClient, manager: User) -> None:
    report = finish_report(Report.objects.create(kind="project", project=build_staffed_project(), requested_by=manager))

    rows = csv_rows(manager_api.get(f"{REPORTS}{report.pk}/export.csv").content)
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{report.pk}/export.xlsx").content))

    assert rows[rows.index(["Training suggestions"]) + 2][1] == "Ann Analyst"
    assert workbook["Training suggestions"]["B2"].value == "Ann Analyst"
