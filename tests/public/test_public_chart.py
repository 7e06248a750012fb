"""The grade-share chart of the public page: one bar per township, shares that add up, names escaped."""

from scoring.charts import grade_shares_svg
from scoring.selectors import TownshipShares


def test_each_township_gets_a_bar_with_its_shares_and_an_escaped_name():
    shares = [
        TownshipShares("331004001", "路桥街道", {"A": 1, "B": 2, "C": 1}, 4),
        TownshipShares("331004002", "<script>x</script>", {"A": 0, "B": 0, "C": 3}, 3),
    ]
    svg = grade_shares_svg(shares, "各镇(街道)等级占比")
    assert svg.count("<g ") == 2
    assert "<title>路桥街道 A 25.0%</title>" in svg
    assert "<title>路桥街道 B 50.0%</title>" in svg
    assert "&lt;script&gt;x&lt;/script&gt; C 100.0%" in svg
    assert "<script>" not in svg
    # A grade no village reached draws no bar.
    assert "&lt;script&gt;x&lt;/script&gt; A" not in svg
    assert 'aria-label="各镇(街道)等级占比"' in svg
