"""The grade-share chart: one bar per township, shares that add up, names escaped; the public page's chart
(public.charts) drawn unscaled, so that its text keeps its size on a phone, and the reports' (scoring.charts)."""

import re

import pytest

from public.charts import grade_shares_svg as public_chart
from scoring.charts import GRADE_FILL
from scoring.charts import grade_shares_svg as report_chart
from scoring.selectors import TownshipShares

SHARES = [
    TownshipShares("331004001", "路桥街道", {"A": 1, "B": 2, "C": 1}, 4),
    TownshipShares("331004002", "<script>x</script>", {"A": 0, "B": 0, "C": 3}, 3),
]


@pytest.mark.parametrize("chart", [public_chart, report_chart])
def test_each_township_gets_a_bar_with_its_shares_and_an_escaped_name(chart):
    svg = chart(SHARES, "各镇(街道)等级占比")
    assert svg.count("<g ") == 2
    assert "<title>路桥街道 A 25.0%</title>" in svg
    assert "<title>路桥街道 B 50.0%</title>" in svg
    assert "&lt;script&gt;x&lt;/script&gt; C 100.0%" in svg
    assert "<script>" not in svg
    # A grade no village reached draws no bar.
    assert "&lt;script&gt;x&lt;/script&gt; A" not in svg
    assert 'aria-label="各镇(街道)等级占比"' in svg


def test_the_public_chart_is_unscaled_with_bars_in_percent_and_counts_in_words():
    svg = public_chart(SHARES, "等级占比")
    assert "viewBox" not in svg and 'width="100%" height="100"' in svg
    assert re.findall(r'<rect x="([\d.]+)%" y="24" width="([\d.]+)%"', svg) == [
        ("0", "25.0"),
        ("25.0", "50.0"),
        ("75.0", "25.0"),
        ("0.0", "100.0"),
    ]
    assert '<text x="100%" y="17" text-anchor="end" class="bar-counts">A 1 · B 2 · C 1</text>' in svg
    assert f'class="bar bar-B" fill="{GRADE_FILL["B"]}"' in svg
    # Every share is wide enough here for its label, drawn in the colour its bar's text needs.
    assert re.findall(r'class="bar-text" fill="(#\w+)">(\w \d+%)<', svg) == [
        ("#ffffff", "A 25%"),
        ("#1f2328", "B 50%"),
        ("#ffffff", "C 25%"),
        ("#ffffff", "C 100%"),
    ]


def test_a_share_too_narrow_for_its_label_keeps_only_its_count():
    svg = public_chart([TownshipShares("331004001", "路桥街道", {"A": 1, "B": 9, "C": 0}, 10)], "等级占比")
    assert "<title>路桥街道 A 10.0%</title>" in svg and ">A 10%<" not in svg
    assert ">B 90%<" in svg and ">A 1 · B 9 · C 0<" in svg
