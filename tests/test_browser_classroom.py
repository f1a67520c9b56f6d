"""The classroom in a real Chromium: links, page switches, presentation, downloads.

Each test opens its own browser context, as a student opening a shared link
would: no cookies, no session, nothing carried over from another test.
"""

import io
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
from conftest import SCREENSHOTS, app_errors, save_screenshot, wait_until_settled
from playwright.sync_api import expect
from test_browser_pages import PAGES

from attention import teaching, ui

VIEWPORT = {"width": 1280, "height": 720}
LESSONS = [path for path in PAGES if path]  # every page but the home page
SENTENCE = '[data-testid="stTextInput"] input'
CHART = '[data-testid="stPlotlyChart"]'
NOTICE = '[data-testid="stAlertContentWarning"]'
SIDEBAR = '[data-testid="stSidebar"]'

# what a chart shows: its title, row labels, and numbers printed in the cells
CHARTS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .map((chart) => ({
    title: chart.querySelector(".gtitle")?.textContent ?? "",
    rows: [...chart.querySelectorAll(".ytick text")].map((t) => t.textContent),
    cells: [...chart.querySelectorAll(".heatmap-label")].map((t) => t.textContent),
  }))"""

# every label drawn on a box inside a chart, its text colour and box colour
LABEL_COLOURS = """() => [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"] g.annotation')]
  .map((a) => ({
    text: a.querySelector("text")?.textContent ?? "",
    fill: getComputedStyle(a.querySelector("text")).fill,
    box: a.querySelector("rect.bg")?.style.fill ?? "",
    boxOpacity: a.querySelector("rect.bg")?.style.fillOpacity ?? "0",
  }))
  .filter((a) => a.text && a.box && Number(a.boxOpacity) > 0.5)"""
BACKGROUND = """() => getComputedStyle(
  document.querySelector('[data-testid="stApp"]')).backgroundColor"""


@pytest.fixture
def new_tab(browser, app_server):
    """new_tab(path, **context options) -> a settled Page in a fresh context."""
    contexts = []

    def open_tab(path, **options):
        context = browser.new_context(
            viewport=VIEWPORT, accept_downloads=True, **options
        )
        contexts.append(context)
        tab = context.new_page()
        tab.goto(f"{app_server}/{path}")
        wait_until_settled(tab)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def link_params(tab):
    return {k: v[0] for k, v in parse_qs(urlsplit(tab.url).query).items()}


def selectbox_values(tab):
    return tab.locator('[data-testid="stSelectbox"] input').evaluate_all(
        "inputs => inputs.map((i) => i.value)"
    )


def slider_values(tab):
    return tab.locator('[data-testid="stSliderThumbValue"]').all_inner_texts()


def no_errors(tab):
    errors = app_errors(tab)
    assert not errors, "\n\n".join(errors)


def settle_after(tab, action):
    action()
    tab.wait_for_timeout(200)  # let the rerun start before waiting for its end
    wait_until_settled(tab)


# links -------------------------------------------------------------------------


def test_a_link_reopens_the_scores_lesson(new_tab):
    tab = new_tab("scores_softmax?s=money+bank+grows&word=bank&t=0.5")

    assert tab.locator(SENTENCE).first.input_value() == "money bank grows"
    assert selectbox_values(tab) == ["bank"]
    assert slider_values(tab) == ["0.50"]
    charts = tab.evaluate(CHARTS)
    assert charts[0]["rows"] == ["money", "bank", "grows"]
    assert (
        "Step 3: softmax, row by row (T = 0.5)" in tab.locator("h3").all_inner_texts()
    )
    params = link_params(tab)
    assert (params["s"], params["word"], params["t"]) == (
        "money bank grows",
        "bank",
        "0.5",
    )
    assert not tab.locator(NOTICE).count()
    no_errors(tab)


def test_a_link_reopens_the_sentence_length(new_tab):
    tab = new_tab("why_attention?n=5")

    assert slider_values(tab)[0] == "5"
    steps = tab.evaluate(CHARTS)[0]
    assert steps["rows"] == ["my", "money", "in", "the", "bank"]
    assert "The RNN needs 5 steps" in tab.inner_text("body")
    assert link_params(tab)["n"] == "5"
    no_errors(tab)


def test_a_link_reopens_a_layer_and_head_of_the_real_model(new_tab):
    tab = new_tab("playground?s=the+river+bank&layer=3&head=7")

    assert tab.locator(SENTENCE).first.input_value() == "the river bank"
    assert selectbox_values(tab)[:2] == ["3", "head 7"]
    assert "One head: layer 3, head 7" in tab.locator("h3").all_inner_texts()
    heatmap = tab.evaluate(CHARTS)[0]
    assert heatmap["title"] == "Attention, layer 3, head 7"
    assert heatmap["rows"] == ["[CLS]", "the", "river", "bank", "[SEP]"]
    no_errors(tab)


def test_nonsense_in_a_link_is_named_and_the_page_still_works(new_tab):
    tab = new_tab("scores_softmax?t=abc&word=zebra&foo=1&present=maybe")

    notice = tab.locator(NOTICE).first.inner_text()
    assert notice.startswith("From the link:")
    for named in (
        "'t': 'abc' is not a number",
        "'word': 'zebra' is not one of",
        "'foo' is not a setting of this page",
        "'present': 'maybe' is not on/off",
    ):
        assert named in notice
    no_errors(tab)

    # the defaults in their place, every step shown, every chart drawn
    assert slider_values(tab) == ["1.00"]
    assert selectbox_values(tab) == ["river"]
    assert tab.locator(CHART).count() == 6
    assert "foo" not in link_params(tab)


# a page switch ----------------------------------------------------------------


def test_a_typed_sentence_survives_a_page_switch(new_tab):
    tab = new_tab("scores_softmax")
    box = tab.locator(SENTENCE).first
    box.fill("money bank grows")
    settle_after(tab, lambda: box.press("Enter"))
    assert tab.evaluate(CHARTS)[0]["rows"] == ["money", "bank", "grows"]

    # away to lesson 1 and back, through the sidebar
    sidebar = tab.locator(SIDEBAR)
    settle_after(tab, lambda: sidebar.get_by_text("1. Why attention").click())
    assert tab.locator("h1").first.inner_text() == "1. Why attention"
    settle_after(tab, lambda: sidebar.get_by_text("4. Scores, softmax, sum").click())

    assert tab.locator(SENTENCE).first.input_value() == "money bank grows"
    assert tab.evaluate(CHARTS)[0]["rows"] == ["money", "bank", "grows"]
    assert link_params(tab)["s"] == "money bank grows"
    no_errors(tab)


# presentation mode --------------------------------------------------------------


def chart_titles(tab):
    return [chart["title"] for chart in tab.evaluate(CHARTS)]


def test_presentation_mode_steps_through_a_lesson(new_tab):
    tab = new_tab("scores_softmax")
    switch = tab.locator(SIDEBAR).get_by_text("Presentation mode")
    settle_after(tab, switch.click)

    def at_step(n, label, titles):
        assert f"Step {n} of 4: {label}" in tab.inner_text("body")
        assert chart_titles(tab) == titles
        params = link_params(tab)
        assert (params["present"], params["step"]) == ("1", str(n))

    at_step(1, "Raw scores", ["Q K^T"])
    save_screenshot(tab, "classroom-presenting-step-1")
    forward = tab.get_by_role("button", name="Next")
    back = tab.get_by_role("button", name="Back")
    settle_after(tab, forward.click)
    at_step(2, "Scaling", ["Q K^T / sqrt(d_k)"])
    settle_after(tab, forward.click)
    at_step(
        3,
        "Softmax",
        [
            "Attention weights",
            "Softmax of the row of river",
            "Effective number of words attended, exp(entropy)",
        ],
    )
    save_screenshot(tab, "classroom-presenting-step-3")
    settle_after(tab, forward.click)
    at_step(4, "Weighted sum", ["y(river) built from the values"])
    assert tab.get_by_role("button", name="Next").is_disabled()
    save_screenshot(tab, "classroom-presenting-step-4")
    settle_after(tab, back.click)
    at_step(3, "Softmax", chart_titles(tab)[:3])

    # the explanations are for the presenter to say; the type is large
    assert "Each cell compares one query" not in tab.inner_text("body")
    size = tab.evaluate(
        "() => getComputedStyle(document.querySelector('.stMarkdown p')).fontSize"
    )
    assert float(size.removesuffix("px")) >= 20
    no_errors(tab)


def test_a_presentation_link_opens_at_its_step(new_tab):
    tab = new_tab("query_key_value?present=1&step=3")

    assert "Step 3 of 3: The query meets every key" in tab.inner_text("body")
    assert chart_titles(tab) == ["Sentence A", "Sentence B"]
    save_screenshot(tab, "classroom-presenting-qkv-step-3")
    no_errors(tab)


# downloads --------------------------------------------------------------------


def test_the_camera_saves_a_png_named_after_the_lesson(new_tab):
    tab = new_tab("scores_softmax")
    chart = tab.locator(CHART).first
    chart.hover()
    camera = chart.locator('.modebar-btn[data-title="Download plot as a PNG"]')
    with tab.expect_download() as download:
        camera.click()

    name = ui.slug("raw-scores", "river", "bank", "flows")
    assert download.value.suggested_filename == f"{name}.png"
    with open(download.value.path(), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_csv_under_a_heatmap_is_the_matrix_on_screen(new_tab):
    tab = new_tab("scores_softmax")
    words = "river bank flows".split()
    name = ui.slug("weights", *words, "t", 1.0)
    button = tab.locator(f".st-key-csv-{name} button")
    with tab.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == f"{name}.csv"
    with open(download.value.path(), encoding="utf-8") as csv:
        table = pd.read_csv(io.StringIO(csv.read()), index_col=0)

    # the same labels and numbers as the teaching model computes
    weights = teaching.model().run(words).step.weights
    assert list(table.index) == words and list(table.columns) == words
    np.testing.assert_allclose(table.to_numpy(), weights, atol=1e-5)

    # and the same numbers as printed in the heatmap's cells
    heatmap = next(c for c in tab.evaluate(CHARTS) if c["title"] == "Attention weights")
    shown = np.array(heatmap["cells"], dtype=float).reshape(weights.shape)
    np.testing.assert_allclose(shown, table.to_numpy().round(2), atol=1e-9)


def test_a_repeated_word_keeps_its_own_row_in_the_csv(new_tab):
    tab = new_tab("scores_softmax?s=bank+river+bank")
    name = ui.slug("raw-scores", "bank", "river", "bank")
    with tab.expect_download() as download:
        tab.locator(f".st-key-csv-{name} button").click()
    table = pd.read_csv(download.value.path(), index_col=0)

    scores = teaching.model().run(["bank", "river", "bank"]).step.scores
    assert list(table.index) == ["bank (1)", "river", "bank (3)"]
    assert list(table.columns) == ["bank (1)", "river", "bank (3)"]
    np.testing.assert_allclose(table.to_numpy(), scores, rtol=1e-5, atol=1e-5)


# offline ------------------------------------------------------------------------


def test_every_page_loads_from_this_machine_only(new_tab, app_server):
    requested = []
    tab = new_tab("")
    tab.on("request", lambda request: requested.append(request.url))
    tab.on("websocket", lambda socket: requested.append(socket.url))
    for path in ["", *LESSONS]:
        tab.goto(f"{app_server}/{path}")
        wait_until_settled(tab)
        no_errors(tab)
        # a chart's modebar and hover label load nothing either
        if path:
            tab.locator(CHART).first.hover()

    assert requested, "no request was recorded"
    hosts = {urlsplit(url).hostname for url in requested}
    elsewhere = [url for url in requested if urlsplit(url).hostname != "127.0.0.1"]
    assert hosts == {"127.0.0.1"}, elsewhere


# light and dark -----------------------------------------------------------------


def luminance(css_colour):
    """Relative luminance of 'rgb(r, g, b)' or 'rgba(r, g, b, a)', as in WCAG."""
    numbers = css_colour[css_colour.index("(") + 1 : -1].split(",")
    channels = np.array([float(x) for x in numbers[:3]]) / 255
    linear = np.where(
        channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4
    )
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_lesson_reads_in_light_and_dark(scheme, new_tab, app_server):
    tab = new_tab("", color_scheme=scheme)
    dark_page = luminance(tab.evaluate(BACKGROUND)) < 0.2
    assert dark_page == (scheme == "dark"), "the app did not follow the system theme"

    for path in LESSONS:
        tab.goto(f"{app_server}/{path}")
        wait_until_settled(tab)
        no_errors(tab)
        save_screenshot(tab, f"classroom-{scheme}-{path}")

        # each chart on its own, to be looked at; a hover label on a heatmap
        charts = tab.locator(CHART).all()
        heatmap = tab.locator(CHART).filter(has=tab.locator("g.hm")).first
        heatmap.locator(".nsewdrag").first.hover()
        tab.locator(".hoverlayer .hovertext").first.wait_for()
        for k, chart in enumerate(charts):
            chart.screenshot(path=SCREENSHOTS / f"classroom-{scheme}-{path}-{k}.png")

        # a label on a box is read against the box, not against the page
        for label in tab.evaluate(LABEL_COLOURS):
            ratio = contrast(label["fill"], label["box"])
            assert ratio >= 4.5, f"{path}: label {label['text']!r} at {ratio:.1f}:1"


def test_a_link_opened_first_on_a_fresh_server_gets_the_router(browser, fresh_server):
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    tab.goto(f"{fresh_server}/scores_softmax?t=0.5")
    wait_until_settled(tab)
    sidebar = tab.locator('[data-testid="stSidebar"]')
    assert "Presentation mode" in sidebar.inner_text()
    assert "4. Scores, softmax, sum" in sidebar.inner_text()
    assert "streamlit app" not in sidebar.inner_text()
    context.close()


# editable tables ------------------------------------------------------------------

ROW_HEIGHT = 35  # pixels of one row of Streamlit's table grid, header included
INDEX_WIDTH = 58  # pixels of the grid's first column, the row labels


CELL_EDITOR = "#portal .gdg-input"  # the box the grid opens over a cell


def edit_cell(tab, row, column, typed):
    """Type into cell (row, column) of the first visible editable table."""
    grids = tab.locator('[data-testid="stDataFrame"]')
    grid = next(g for g in grids.all() if g.is_visible())
    grid.scroll_into_view_if_needed()
    tab.wait_for_timeout(300)
    box = grid.bounding_box()
    width = (box["width"] - INDEX_WIDTH) / 3
    x = box["x"] + INDEX_WIDTH + width * (column + 0.5)
    y = box["y"] + ROW_HEIGHT * (row + 1.5)

    # open the cell's editor, write the new value, and commit it
    tab.mouse.dblclick(x, y)
    editor = tab.locator(CELL_EDITOR)
    editor.wait_for(timeout=5000)
    editor.fill(typed)
    editor.press("Enter")


def y_bank(tab):
    return tab.locator("code", has_text="y_bank").first


def test_an_edited_table_is_renormalised_and_reopens_from_its_link(new_tab):
    tab = new_tab("static_vs_contextual")
    expect(y_bank(tab)).to_have_text(
        "y_bank = 0.25*e_money + 0.70*e_bank + 0.05*e_grows"
    )

    # bank's row becomes 0.9, 0.7, 0.05: divided by 1.65
    edit_cell(tab, 1, 0, "0.9")
    expect(y_bank(tab)).to_have_text(
        "y_bank = 0.55*e_money + 0.42*e_bank + 0.03*e_grows", timeout=15000
    )
    expect(tab.locator(NOTICE).first).to_contain_text("renormalised")
    wait_until_settled(tab)
    no_errors(tab)
    table = link_params(tab)["ta"]

    again = new_tab(f"static_vs_contextual?ta={table}")
    expect(y_bank(again)).to_have_text(
        "y_bank = 0.55*e_money + 0.42*e_bank + 0.03*e_grows"
    )
    no_errors(again)


@pytest.mark.parametrize("typed", ["", "-0.5"])
def test_a_blank_or_negative_cell_gets_a_message_not_nan(new_tab, typed):
    tab = new_tab("static_vs_contextual")
    edit_cell(tab, 1, 0, typed)
    expect(tab.locator(NOTICE).first).to_contain_text(
        "blank, negative or non-numeric", timeout=15000
    )
    expect(y_bank(tab)).to_have_text(
        "y_bank = 0.25*e_money + 0.70*e_bank + 0.05*e_grows"
    )
    wait_until_settled(tab)
    assert "nan" not in " ".join(tab.locator("code").all_inner_texts()).lower()
    no_errors(tab)
