"""Names that a spreadsheet would read as a formula are written as plain text in every download.

A person or a slot named ``=HYPERLINK("http://x","y")`` must never become a live formula: following
OWASP's advice on CSV injection, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a single quote in front, in every CSV file (one per table) and in
every sheet of the workbook (where it is also a string cell, never a formula). Numbers stay numbers,
negative ones included.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from people.models import Person
from projects.models import RoleSlot
from staffing.exports import recommendations_table, table_to_csv, tables_to_xlsx
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


def table_csv(client: APIClient, report: Report, table: str) -> list[list[str]]:
    return csv_rows(client.get(f"{REPORTS}{report.pk}/export.csv?table={table}").content)


def starts_like_a_formula(cell: object) -> bool:
    return isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("named_report", DANGEROUS, indirect=True)
def test_a_dangerous_name_is_quoted_in_the_csv_file(manager_api: APIClient, named_report: Report) -> None:
    name = Person.objects.get().name

    unfilled = table_csv(manager_api, named_report, "unfilled")[1]
    training = table_csv(manager_api, named_report, "training")[1]
    assert (unfilled[1], training[1]) == ("'" + name, "'" + name)


@pytest.mark.parametrize("named_report", DANGEROUS, indirect=True)
def test_no_cell_of_any_file_starts_like_a_formula(manager_api: APIClient, named_report: Report) -> None:
    cells = [
        cell
        for table in ("coverage", "unfilled", "training", "recommendations")
        for row in table_csv(manager_api, named_report, table)
        for cell in row
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{named_report.pk}/export.xlsx").content))
    cells += [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]

    assert [cell for cell in cells if starts_like_a_formula(cell)] == []
    assert all(cell.data_type != "f" for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row)
    # The name is in a recommendation too, in the middle of a sentence, where a spreadsheet leaves it as text.
    advice = [row[0] for row in workbook["Recommendations"].iter_rows(min_row=2, values_only=True)]
    assert any(Person.objects.get().name.replace("\r", "\n") in sentence for sentence in advice)


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

    rows = csv_rows(manager_api.get(f"{REPORTS}{report.pk}/export.csv?table=gaps").content)
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{report.pk}/export.xlsx").content))

    assert rows[4] == ["Statistics", "4", "0.50", "1.00", "-0.50", ""]
    gap = workbook["Skill gaps"]["E5"]
    assert (gap.data_type, gap.value) == ("n", -0.5)


def test_a_harmless_name_is_written_as_it_is(manager_api: APIClient, manager: User) -> None:
    report = finish_report(Report.objects.create(kind="project", project=build_staffed_project(), requested_by=manager))

    rows = table_csv(manager_api, report, "training")
    workbook = openpyxl.load_workbook(io.BytesIO(manager_api.get(f"{REPORTS}{report.pk}/export.xlsx").content))

    assert rows[1][1] == "Ann Analyst"
    assert workbook["Training suggestions"]["B2"].value == "Ann Analyst"


@pytest.mark.parametrize("sentence", DANGEROUS)
def test_a_recommendation_that_starts_like_a_formula_is_quoted_in_both_files(sentence: str) -> None:
    table = recommendations_table([sentence])

    rows = csv_rows(table_to_csv(table))
    cell = openpyxl.load_workbook(io.BytesIO(tables_to_xlsx([table], title="Advice")))["Recommendations"]["A2"]

    assert rows == [["Recommendation"], ["'" + sentence]]
    assert (cell.data_type, cell.value) == ("s", "'" + sentence.replace("\r", "\n"))
