"""The heatmap palette lives in the stylesheet: every band Python names has a fill and a text colour
there, and every such pair keeps the figures legible (WCAG AA, 4.5:1)."""

import re
from pathlib import Path

from django.conf import settings

from staffing.report_charts import GAP_BANDS, NOT_REQUIRED, SHORTFALL_BANDS
from ui.charts import LEVEL_BANDS, NOT_SET

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "spectrum.css"
ENTRY = re.compile(
    r"\.heatmap__cell--(?P<name>[a-z0-9-]+)\s*\{\s*--heatmap-fill:\s*(?P<fill>#[0-9a-f]{6});"
    r"\s*--heatmap-text:\s*(?P<text>#[0-9a-f]{6});\s*\}"
)


def palette() -> dict[str, tuple[str, str]]:
    return {match["name"]: (match["fill"], match["text"]) for match in ENTRY.finditer(STYLESHEET.read_text())}


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_band_the_charts_name_has_a_colour_in_the_stylesheet() -> None:
    named = {band.name for band in [*LEVEL_BANDS.values(), NOT_SET, NOT_REQUIRED, *SHORTFALL_BANDS, *GAP_BANDS]}

    assert named - set(palette()) == set()


def test_every_fill_keeps_its_text_at_aa_contrast() -> None:
    found = palette()

    assert len(found) == 18
    assert {name: contrast_ratio(fill, text) >= 4.5 for name, (fill, text) in found.items()} == dict.fromkeys(
        found, True
    )


def test_the_contrast_ratio_matches_wcag_at_the_extremes() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert contrast_ratio("#777777", "#777777") == 1.0
