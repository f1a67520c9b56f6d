"""The playground in a real Chromium: typing a sentence redraws the heatmap."""

from conftest import wait_until_settled

HEATMAP_ROWS = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"]');
  return chart ? [...chart.querySelectorAll('.ytick text')].map(t => t.textContent)
               : [];
}"""
SENTENCE = '[data-testid="stTextInput"] input'


def test_typing_a_sentence_redraws_the_heatmap(open_app, app_errors, save_screenshot):
    page = open_app("playground")
    before = page.evaluate(HEATMAP_ROWS)
    save_screenshot(page, "playground-start")
    assert before[:2] == ["[CLS]", "Apple"], before

    # a new sentence, sent with Enter as a student would
    box = page.locator(SENTENCE).first
    box.fill("The river bank flooded after the storm")
    box.press("Enter")
    page.wait_for_function(
        f"() => ({HEATMAP_ROWS})().includes('flooded')", timeout=30_000
    )
    wait_until_settled(page)

    after = page.evaluate(HEATMAP_ROWS)
    assert after != before
    assert after[1:4] == ["The", "river", "bank"], after
    errors = app_errors(page)
    assert not errors, "\n\n".join(errors)
    save_screenshot(page, "playground-typed")

    # the overview of all heads, further down
    page.get_by_text("All 72 heads", exact=True).scroll_into_view_if_needed()
    save_screenshot(page, "playground-all-heads")
