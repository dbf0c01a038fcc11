"""Text that a spreadsheet would run as a formula, made harmless: the one rule every CSV and XLSX
download follows.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some also
after a leading tab or carriage return, so a name such as ``=HYPERLINK("http://x","y")`` typed into
the product would become a live link in someone's download. Following OWASP's advice on CSV
injection, such text is written with a single quote in front, which spreadsheets show as text. Only
text is concerned: numbers (negative ones too) and dates are written as they are by their callers.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """``text`` with a single quote in front when it starts like a formula; otherwise ``text`` itself."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
