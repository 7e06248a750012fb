"""Grade colours: B reads as yellow with dark text (no longer olive with white), every grade's letter keeps
WCAG AA contrast (≥ 4.5:1) on its colour, and the pages' stylesheet, the report's and the charts' Python
mapping say the same colours."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from scoring.charts import GRADE_FILL, LABEL_FILL

CSS = Path(settings.BASE_DIR) / "static" / "css"
YELLOW, DARK_INK = "#f2c200", "#1f2328"


def _hex(colour: str) -> str:
    """#rgb or #rrggbb as lower-case #rrggbb."""
    digits = colour.lower().lstrip("#")
    return "#" + ("".join(d * 2 for d in digits) if len(digits) == 3 else digits)


def _luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    channels = [int(_hex(colour)[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def page_variables() -> dict[str, str]:
    """The --grade-* custom properties of the pages' stylesheet."""
    text = (CSS / "lianjie.css").read_text(encoding="utf-8")
    return {name: _hex(value) for name, value in re.findall(r"--(grade-[a-c](?:-ink)?):\s*(#[0-9a-fA-F]{3,6})", text)}


def report_badges() -> dict[str, tuple[str, str]]:
    """grade → (background, text colour) of the report PDF's .grade-X rules."""
    text = (CSS / "report.css").read_text(encoding="utf-8")
    rules = re.findall(r"\.grade-([ABC]) \{ background: (#[0-9a-fA-F]{3,6}); color: (#[0-9a-fA-F]{3,6}); \}", text)
    return {grade: (_hex(background), _hex(ink)) for grade, background, ink in rules}


def test_the_contrast_formula_gives_the_wcag_figures():
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


def test_grade_b_is_yellow_with_dark_text_on_pages_pdfs_and_charts():
    variables = page_variables()
    assert variables["grade-b"] == YELLOW and variables["grade-b-ink"] == DARK_INK
    assert GRADE_FILL["B"] == YELLOW and LABEL_FILL["B"] == DARK_INK
    assert report_badges()["B"] == (YELLOW, DARK_INK)
    assert round(contrast(YELLOW, DARK_INK), 2) == 9.4


@pytest.mark.parametrize("grade", ["A", "B", "C"])
def test_each_grade_letter_keeps_aa_contrast_on_its_colour(grade):
    variables = page_variables()
    background, ink = variables[f"grade-{grade.lower()}"], variables[f"grade-{grade.lower()}-ink"]
    assert contrast(background, ink) >= 4.5, (grade, background, ink)


@pytest.mark.parametrize("grade", ["A", "B", "C"])
def test_pages_reports_and_charts_share_one_set_of_grade_colours(grade):
    variables = page_variables()
    page = (variables[f"grade-{grade.lower()}"], variables[f"grade-{grade.lower()}-ink"])
    assert page == report_badges()[grade] == (_hex(GRADE_FILL[grade]), _hex(LABEL_FILL[grade]))


def test_no_rule_paints_a_grade_olive_any_more():
    olive = ("8a6d00", "b08800", "d4a800")
    sources = [*CSS.glob("*.css"), *Path(settings.BASE_DIR, "templates").rglob("*.html")]
    sources += [Path(settings.BASE_DIR, "scoring", "charts.py"), Path(settings.BASE_DIR, "public", "charts.py")]
    assert [
        path.name for path in sources for colour in olive if colour in path.read_text(encoding="utf-8").lower()
    ] == []
