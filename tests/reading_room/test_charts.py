"""Server-side SVG charts: accessible, escaped, with the figures as a table too."""

import re

import pytest

from engagements.charts import ChartItem, bar_chart, column_chart


def test_bar_chart_is_an_accessible_svg_with_a_table_of_the_figures():
    html = bar_chart(
        [ChartItem("South Korea", 6, "/meetings/?country=KR"), ChartItem("Japan", 3)],
        title="Partners",
        description="Meetings per partner.",
        noun="meetings",
        label_heading="Country",
    )
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "role='group'" in svg  # its bars are links: not an image
    labelled = re.search(r"aria-labelledby='(\S+) (\S+)'", svg)
    assert f"<title id='{labelled.group(1)}'>Partners</title>" in svg
    assert f"<desc id='{labelled.group(2)}'>Meetings per partner.</desc>" in svg
    widths = [float(w) for w in re.findall(r"<rect class='bar'[^>]*width='([\d.]+)'", svg)]
    assert widths[0] == 2 * widths[1]  # bars are proportional to the values
    table = html.rsplit("</svg>", 1)[1]  # after both drawings
    assert "<th scope='row'><a href='/meetings/?country=KR'>South Korea</a></th>" in table
    assert "<td class='num'>6</td>" in table
    assert "<th scope='col'>Country</th>" in table


def test_column_chart_fills_missing_years_with_zero():
    html = column_chart(
        [ChartItem("2019", 4), ChartItem("2023", 1)], title="Per year", description="d", noun="m"
    )
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert len(re.findall(r"<rect class='bar'", svg)) == 5  # 2019…2023
    assert "<title>2021: 0 m</title>" in svg
    table = html.rsplit("</svg>", 1)[1]  # after both drawings
    assert "2021" not in table  # the table lists the years with figures only
    assert "2019" in table and "2023" in table


def test_labels_are_escaped():
    html = bar_chart(
        [ChartItem("<script>alert(1)</script>", 1)],
        title="<b>t</b>",
        description="d & e",
        noun="n",
    )
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "d &amp; e" in html


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
def test_no_data_no_chart(chart):
    assert chart([], title="t", description="d", noun="n") == ""


def test_every_chart_has_its_own_ids():
    a = bar_chart([ChartItem("a", 1)], title="A", description="d", noun="n")
    b = bar_chart([ChartItem("b", 1)], title="B", description="d", noun="n")
    ids = re.findall(r"id='([^']+)'", a + b)
    assert len(ids) == len(set(ids)) == 8  # a title and a description, wide and narrow


def test_charts_without_links_are_images_and_links_have_names():
    plain = column_chart([ChartItem("2019", 4)], title="t", description="d", noun="meetings")
    svg = re.search(r"<svg.*?</svg>", plain, re.S).group(0)
    assert "role='img'" in svg and "<a " not in svg
    for chart in (bar_chart, column_chart):
        html = chart(
            [ChartItem("2019", 4, "/meetings/?year_from=2019"), ChartItem("2021", 1, "/m/?y=21")],
            title="t",
            description="d",
            noun="meetings",
        )
        svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
        assert "role='img'" not in svg  # no focusable link inside an image
        links = re.findall(r"<a [^>]*>", svg)
        assert len(links) == 2
        assert "aria-label='2019: 4 meetings'" in links[0]
        # The drawn words and figures are hidden: the links and the title say it all.
        assert all("aria-hidden='true'" in t for t in re.findall(r"<text [^>]*>", svg))


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
def test_each_chart_is_drawn_for_a_wide_screen_and_a_phone(chart):
    items = [ChartItem(str(y), y - 1990) for y in range(1991, 2026)]
    html = chart(items, title="t", description="d", noun="meetings")
    svgs = re.findall(r"<svg class='chart (\w+)' viewBox='0 0 (\d+) ", html)
    assert svgs == [("wide", "640"), ("narrow", "360")]
    narrow = re.search(r"<svg class='chart narrow'.*?</svg>", html, re.S).group(0)
    if chart is column_chart:  # 35 years: five labels below the axis, not a dozen
        years = re.findall(r"text-anchor='middle'[^>]*>(\d{4})<", narrow)
        assert 3 <= len(years) <= 5


def test_one_is_counted_in_the_singular():
    html = column_chart(
        [ChartItem("2019", 1, "/m/?y=2019"), ChartItem("2020", 2, "/m/?y=2020")],
        title="t",
        description="d",
        noun="meetings",
    )
    assert "aria-label='2019: 1 meeting'" in html
    assert "aria-label='2020: 2 meetings'" in html
    assert "1 meetings" not in html
