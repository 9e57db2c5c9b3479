"""core.charts: the scale, the markup of each mark, the text alternative, escaping and empty
charts."""

from django.utils.safestring import SafeString

from core.charts import Chart, Dot, Label, Line, Rule, Scale, Square, chart_svg

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def test_scale_maps_linearly_rounds_to_a_tenth_and_may_run_backwards() -> None:
    x = Scale(low=0, high=10, start=24, end=576)
    assert (x(0), x(5), x(10)) == (24, 300, 576)
    assert x(1) == 79.2
    y = Scale(low=1, high=10, start=136, end=24)  # score 1 at the bottom, 10 at the top
    assert (y(1), y(10)) == (136, 24)
    assert y(4) == 98.7
    assert Scale(low=0, high=3, start=0, end=1)(1) == 0.3


def test_a_scale_over_an_empty_range_puts_every_value_at_its_start() -> None:
    assert Scale(low=5, high=5, start=24, end=576)(5) == 24
    assert Scale(low=5, high=5, start=24, end=576)(7) == 24


def test_a_chart_is_an_image_named_by_its_caption_title_and_desc() -> None:
    svg = chart_svg(
        Chart(width=600, height=160, id="mood", title="Mood", desc="Two days", labelled_by=["caption"], css="c")
    )
    assert isinstance(svg, SafeString)
    assert svg.startswith(
        '<svg class="c" viewBox="0 0 600 160" role="img" aria-labelledby="caption mood-title mood-desc"'
        ' focusable="false"><title id="mood-title">Mood</title><desc id="mood-desc">Two days</desc>'
    )
    assert svg.endswith("</svg>")


def test_marks_are_drawn_in_order_with_their_classes_and_tooltips() -> None:
    svg = chart_svg(
        Chart(
            width=100,
            height=50,
            id="c",
            title="T",
            dots=[Dot(x=1.5, y=2, radius=3, css="dot", title="one")],
            squares=[Square(x=0, y=0, size=11, css="heat heat-1", title="Mon")],
            lines=[Line(points=[(1.5, 2), (3, 4)], css="line")],
            labels=[Label(x=2, y=28, text="10", css="label", anchor="end", baseline="middle")],
            rules=[Rule(x1=0, y1=40, x2=100, y2=40, css="axis")],
        )
    )
    parts = [
        '<line class="axis" x1="0" y1="40" x2="100" y2="40"></line>',
        '<text class="label" x="2" y="28" text-anchor="end" dominant-baseline="middle">10</text>',
        '<polyline class="line" points="1.5,2 3,4"></polyline>',
        '<rect class="heat heat-1" x="0" y="0" width="11" height="11" rx="2"><title>Mon</title></rect>',
        '<circle class="dot" cx="1.5" cy="2" r="3"><title>one</title></circle>',
    ]
    positions = [svg.index(part) for part in parts]
    assert positions == sorted(positions)


def test_every_text_is_escaped() -> None:
    svg = chart_svg(
        Chart(
            width=10,
            height=10,
            id="x",
            title=HOSTILE,
            desc=HOSTILE,
            labels=[Label(x=0, y=0, text=HOSTILE, css="label")],
            dots=[Dot(x=0, y=0, radius=1, css="dot", title=HOSTILE)],
            squares=[Square(x=0, y=0, size=1, css='a" onclick="x', title=HOSTILE)],
        )
    )
    assert "<script>" not in svg
    assert 'onclick="x' not in svg
    assert svg.count(ESCAPED) == 5
    assert 'class="a&quot; onclick=&quot;x"' in svg


def test_an_empty_chart_draws_no_line_and_no_marks() -> None:
    svg = chart_svg(Chart(width=600, height=160, id="empty", lines=[Line(points=[], css="line")]))
    assert svg == '<svg viewBox="0 0 600 160" role="img" focusable="false"></svg>'
