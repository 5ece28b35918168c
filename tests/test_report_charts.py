"""The inline SVG charts of the report (planparse.report_charts): well-formed SVG, one mark
per value, sizes proportional to the values, every label escaped."""
from __future__ import annotations

from lxml import etree

from planparse.report_charts import BAR_WIDTH, bar_chart, heatmap, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"


def _svg(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))  # raises on anything not well-formed


def test_bar_chart_has_one_bar_per_value_scaled_to_the_largest() -> None:
    svg = _svg(bar_chart([("政治学习", 10), ("福利与关怀", 5), ("其他", 0)], "c1", label="全部任务"))
    assert svg.get("id") == "c1" and "chart" in svg.get("class")
    bars = svg.findall(f".//{SVG}rect")
    assert [b.get("data-value") for b in bars] == ["10", "5", "0"]
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == BAR_WIDTH and widths[1] == BAR_WIDTH / 2 and widths[2] == 0
    assert [b.find(f"{SVG}title").text for b in bars] == ["政治学习: 10", "福利与关怀: 5", "其他: 0"]


def test_stacked_bars_fill_each_row() -> None:
    svg = _svg(stacked_bars([("学校", [("a", 3), ("b", 1)]), ("医院", [("a", 0), ("b", 2)])], "c2", ["#111", "#222"]))
    segs = svg.findall(f".//{SVG}rect")
    assert [(s.get("data-row"), s.get("data-label"), s.get("data-value")) for s in segs] == [
        ("学校", "a", "3"), ("学校", "b", "1"), ("医院", "b", "2")]  # an empty segment is no mark
    school = [float(s.get("width")) for s in segs if s.get("data-row") == "学校"]
    assert abs(sum(school) - BAR_WIDTH) < 0.5 and abs(school[0] - 3 * school[1]) < 0.5
    assert float(segs[2].get("width")) == BAR_WIDTH


def test_heatmap_has_a_cell_per_row_and_column_shaded_by_value() -> None:
    values = [[0, 1, 4], [2, 0, 0]]
    svg = _svg(heatmap(["甲", "乙"], ["1月", "2月", "3月"], values, "hm"))
    cells = svg.findall(f".//{SVG}rect[@class='cell']")
    assert len(cells) == 6
    assert [int(c.get("data-value")) for c in cells] == [0, 1, 4, 2, 0, 0]
    fill = {int(c.get("data-value")): c.get("fill") for c in cells}
    assert fill[0] == "#f4f5f7" and fill[4] != fill[1]
    # darker for more: the largest value has the lowest red channel
    assert int(fill[4][1:3], 16) < int(fill[2][1:3], 16) < int(fill[1][1:3], 16)


def test_labels_are_escaped() -> None:
    svg = _svg(bar_chart([('<script>"x"&', 1)], "c3"))
    assert svg.find(f".//{SVG}rect").get("data-label") == '<script>"x"&'
    assert not svg.findall(f".//{SVG}script")


def test_empty_charts_are_still_valid_svg() -> None:
    assert _svg(bar_chart([], "e1")).findall(f".//{SVG}rect") == []
    assert _svg(stacked_bars([], "e2", ["#000"])).findall(f".//{SVG}rect") == []
    assert _svg(heatmap([], ["1月"], [], "e3")).findall(f".//{SVG}rect") == []
