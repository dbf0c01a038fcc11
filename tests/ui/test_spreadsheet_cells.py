"""The one rule that keeps text in a download from being read as a formula (OWASP, CSV injection)."""

import pytest

from ui.spreadsheets import neutralise_formula


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", '=HYPERLINK("http://x","y")'])
def test_text_that_starts_like_a_formula_gets_a_single_quote_in_front(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Ann Analyst", "1 - 2", "'=already quoted", "x=1"])
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert neutralise_formula(text) == text
