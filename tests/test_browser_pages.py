"""Every page in a real Chromium: it renders, draws its charts, shows no error."""

import pytest

# url path of each page, as the router sets it; the home page has no chart
PAGES = [
    "",
    "why_attention",
    "static_vs_contextual",
    "query_key_value",
    "scores_softmax",
    "playground",
    "polysemy_lab",
]
PAGES_WITHOUT_CHARTS = {""}
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
# something plotted: a trace, a heatmap, an annotation or a shape
PLOTTED = "g.trace, g.hm, g.annotation, .shapelayer path"


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path or "home")
def test_page_renders_without_errors(path, open_app, app_errors, save_screenshot):
    page = open_app(path)
    save_screenshot(page, path or "home")

    errors = app_errors(page)
    assert not errors, "\n\n".join(errors)
    if path not in PAGES_WITHOUT_CHARTS:
        charts = page.locator(CHART)
        assert charts.count() >= 1, "no Plotly chart on the page"
        assert charts.first.locator(PLOTTED).count() > 0, "the chart is empty"
