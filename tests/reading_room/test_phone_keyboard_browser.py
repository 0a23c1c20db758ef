"""Polish found on a phone and by keyboard, in Debian's headless Chromium (Playwright).

At 390 px the charts' labels keep a legible size and do not run into each other; on every
width the filters come after the results for the keyboard as for the eye. Skipped where
/usr/bin/chromium is missing.
"""

import pytest

from tests.reading_room.test_browser import CHROMIUM, browser, site  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: The drawn words of the charts shown: their boxes and font size on the screen.
LABELS = """() => [...document.querySelectorAll('svg.chart')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .map(svg => [...svg.querySelectorAll('text')].map(t => {
        const r = t.getBoundingClientRect();
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return {text: t.textContent, left: r.left, right: r.right, top: r.top,
                bottom: r.bottom, px: parseFloat(getComputedStyle(t).fontSize) * scale};
    }))"""


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for n, a in enumerate(labels):
        for b in labels[n + 1 :]:
            apart = (
                a["right"] <= b["left"] + 0.5
                or b["right"] <= a["left"] + 0.5
                or a["bottom"] <= b["top"] + 0.5
                or b["bottom"] <= a["top"] + 0.5
            )
            if not apart:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize("path", ["/", "/countries/kr/", "/meetings/"])
def test_chart_labels_are_legible_at_phone_width(site, browser, path):  # noqa: F811
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    page.goto(site + path)
    for summary in page.locator("details.facet-chart:not([open]) summary").all():
        summary.click()  # a facet's chart folded away is opened, to be measured
    charts = page.evaluate(LABELS)
    assert charts, path
    for labels in charts:
        assert labels
        assert overlapping(labels) == [], path
        small = [(t["text"], round(t["px"], 1)) for t in labels if t["px"] < 11]
        assert small == [], path
        # Nothing drawn off the screen's sides.
        assert all(t["left"] >= 0 and t["right"] <= PHONE["width"] for t in labels), path
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
@pytest.mark.parametrize("path", ["/meetings/", "/officials/", "/posts/"])
def test_the_filters_come_after_the_results_by_keyboard_and_by_eye(
    site,  # noqa: F811
    browser,  # noqa: F811
    viewport,
    path,
):
    page = browser.new_page(viewport=viewport)
    page.goto(site + path)
    results = page.locator("section.results").bounding_box()
    filters = page.locator("aside.sidebar").bounding_box()
    # By eye: below the results (phone) or beside them on the right (desktop).
    below = filters["y"] >= results["y"] + results["height"] - 1
    right = filters["x"] >= results["x"] + results["width"] - 1
    assert below or right, (viewport, path)
    # By keyboard: from the results' last link, Tab goes into the filters.
    page.locator("section.results a:visible").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('aside.sidebar')"), path
    # Tabbing from the page's start reaches the results before any filter.
    order = page.evaluate(
        """() => [...document.querySelectorAll('a[href], input, select, button')]
            .filter(el => el.closest('section.results, aside.sidebar'))
            .map(el => el.closest('aside.sidebar') ? 'filters' : 'results')"""
    )
    assert order.index("filters") > order.index("results")
    assert "results" not in order[order.index("filters") :]
    page.close()


def test_a_skip_link_jumps_past_the_rows_to_the_filters(site, browser):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site + "/meetings/")
    link = page.locator("a.jump-to-filters")
    link.focus()
    assert link.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('aside.sidebar')")
    page.close()
