"""The server-drawn charts write their own markup: what they show must be escaped."""

from vpswg import charts


def test_stacked_chart_escapes_labels_and_title_and_keeps_numbers_unlocalised():
    chart = charts.stacked_columns(
        ["2015", '<b>"x"</b>'],
        [("series-0", "Talleres & <cursos>", [3, 1]), ("series-1", "Foros", [2, 0])],
    )
    svg = charts.stacked_svg(chart, 'Activities <by> "kind"')
    assert "<b>" not in svg and "<cursos>" not in svg and '<by> "kind"' not in svg
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in svg
    assert "Talleres &amp; &lt;cursos&gt;" in svg
    assert 'aria-label="Activities &lt;by&gt; &quot;kind&quot;"' in svg
    assert svg.count("<rect ") == 3  # a zero value draws nothing
    assert "," not in svg.split("<ul")[0].replace("&", "")  # no "12,5" coordinates


def test_horizontal_chart_escapes_labels():
    svg = charts.horizontal_svg(charts.horizontal([("<i>Ministerio</i>", 4)]), "Sectors")
    assert "<i>" not in svg and "&lt;i&gt;Ministerio&lt;/i&gt;" in svg
