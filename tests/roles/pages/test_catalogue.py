"""The catalogue: skill groups and skills, professions, and the spectrum heatmap."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from roles.models import Profession, SpectrumLevel
from skills.models import Skill, SkillGroup
from tests.builders import page_text

pytestmark = pytest.mark.django_db

CELL = re.compile(
    r'<g class="heatmap__cell heatmap__shade heatmap__cell--[a-z0-9-]+" '
    r'data-profession="([^"]+)" data-skill="([^"]+)" data-level="(\d*)">'
)


def test_it_lists_skill_groups_with_their_skills_and_the_professions(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    text = page_text(signed_in(viewer).get(reverse("catalogue")).content)

    assert "Skill groups Science Statistics Inference, sampling" in text
    assert "Production Deployment Putting models and services into production systems. ML Ops" in text
    assert "Professions Data scientist" in text
    assert "ML engineer" in text


def test_the_heatmap_has_a_cell_per_profession_and_skill_with_its_level(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    html = signed_in(viewer).get(reverse("catalogue")).content.decode()

    cells = {(profession, skill): level for profession, skill, level in CELL.findall(html)}
    expected = {
        (level.profession.slug, level.skill.slug): str(level.level)
        for level in SpectrumLevel.objects.select_related("profession", "skill")
    }
    assert len(CELL.findall(html)) == Profession.objects.count() * Skill.objects.count() == 48
    assert cells == expected
    assert cells[("data-engineer", "data-pipelines")] == "4"
    assert cells[("data-analyst", "ml-ops")] == "0"
    assert "<title>Data analyst, Business insights: 4 Advanced</title>" in html


def test_the_heatmap_is_an_image_with_a_name_and_a_table_alternative(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    html = signed_in(viewer).get(reverse("catalogue")).content.decode()

    assert 'role="img" aria-labelledby="heatmap-title heatmap-desc"' in html
    assert '<title id="heatmap-title">' in html
    assert "<summary>Show the spectrum as a table</summary>" in html
    table = page_text(html[html.index("<details") :])
    assert (
        "Skill Data scientist Data analyst Data engineer ML engineer Statistics 4 2 2 2 ML modelling 4 1 2 4" in table
    )


def test_a_new_skill_without_levels_shows_as_not_set(signed_in: Callable[[User], Client], viewer: User) -> None:
    Skill.objects.create(slug="hl7-fhir", name="HL7 FHIR", group=SkillGroup.objects.get(slug="infrastructure"), order=3)

    html = signed_in(viewer).get(reverse("catalogue")).content.decode()

    assert ("data-scientist", "hl7-fhir", "") in CELL.findall(html)
    assert "<title>Data scientist, HL7 FHIR: not set</title>" in html


def test_it_runs_a_constant_number_of_queries(
    signed_in: Callable[[User], Client], viewer: User, django_assert_num_queries: Callable
) -> None:
    client = signed_in(viewer)

    # session, user, skill groups, their skills, professions, their spectrum with skills, the user's groups
    with django_assert_num_queries(7):
        client.get(reverse("catalogue"))
    Profession.objects.create(slug="mlops-engineer", name="MLOps engineer", order=5)
    with django_assert_num_queries(7):
        response = client.get(reverse("catalogue"))

    assert len(response.context["heatmap"].columns) == 5
