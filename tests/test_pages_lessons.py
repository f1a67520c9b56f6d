"""Every teaching page through the router, the Streamlit way (AppTest)."""

import pytest
from app_runs import open_page
from plotly_json import chart_specs

LESSONS = [
    "lessons/home.py",
    "lessons/why_attention.py",
    "lessons/static_vs_contextual.py",
    "lessons/query_key_value.py",
    "lessons/scores_softmax.py",
]


def titled(at, start):
    found = [
        f for f in chart_specs(at) if f["layout"]["title"]["text"].startswith(start)
    ]
    assert found, f"no chart titled {start!r}"
    return found[0]


def text_input(at, label):
    return next(t for t in at.text_input if t.label == label)


@pytest.mark.parametrize("page", LESSONS)
def test_page_runs_without_error(page):
    at = open_page(page)
    assert not at.exception
    assert not at.error
    assert at.title


@pytest.mark.parametrize("page", LESSONS[1:])
@pytest.mark.parametrize(
    "sentence",
    [
        "",
        "bank",
        "?!... 🙂",
        "<b>hi</b> bank",
        " ".join(["river bank"] * 40),
        "naïve café bank 🙂 bank",
    ],
)
def test_bad_sentences_get_a_message_not_a_traceback(page, sentence):
    at = open_page(page)
    for box in at.text_input:
        box.set_value(sentence)
    at.run()
    assert not at.exception
    assert not at.error
    if sentence.strip("?!. 🙂") == "":
        assert any("at least" in i.value for i in at.info)
    if len(sentence.split()) > 48:
        assert any("Only the first 48 words" in w.value for w in at.warning)


def test_why_attention_length_changes_the_charts():
    at = open_page("lessons/why_attention.py")
    before = titled(at, "Influence")
    first, last = before["data"][0]["y"][0], before["data"][0]["y"][-1]
    assert len(before["data"][0]["y"]) == 33
    # 32 steps back, the first word's pull has faded far below the last word's
    assert first < 1e-2 * last
    at.slider[0].set_value(10).run()
    after = titled(at, "Influence")
    assert len(after["data"][0]["y"]) == 10
    assert after["data"][0]["y"][0] > first


def test_static_page_shows_bank_moving_two_ways():
    at = open_page("lessons/static_vs_contextual.py")
    shift = titled(at, "Static (grey) to contextual")
    arrows = shift["layout"]["annotations"]
    (a, b) = arrows
    # x is finance, y is water: money pulls right and down, river up and left
    assert a["x"] > a["ax"] and a["y"] < a["ay"]
    assert b["x"] < b["ax"] and b["y"] > b["ay"]
    assert not at.warning


def test_static_page_apple_preset_and_a_new_sentence():
    at = open_page("lessons/static_vs_contextual.py")
    at.selectbox[0].set_value("apple").run()
    assert text_input(at, "Sentence A").value == "Apple launched a new phone"
    weights = titled(at, "Weights in use")
    assert weights["layout"]["yaxis"]["ticktext"][0] == "Apple"
    text_input(at, "Sentence B").set_value("I ate an apple and a banana").run()
    weights_b = [
        f for f in chart_specs(at) if f["layout"]["title"]["text"] == "Weights in use"
    ]
    assert weights_b[1]["layout"]["yaxis"]["ticktext"][-1] == "banana"


def test_qkv_word_choice_changes_the_arrows():
    at = open_page("lessons/query_key_value.py")
    arrows = [
        f for f in chart_specs(at) if f["layout"]["title"]["text"] == "Sentence A"
    ]
    assert any("Q(bank)" in str(t.get("text")) for t in arrows[0]["data"])
    at.selectbox[0].set_value("money").run()
    arrows = [
        f for f in chart_specs(at) if f["layout"]["title"]["text"] == "Sentence A"
    ]
    assert any("Q(money)" in str(t.get("text")) for t in arrows[0]["data"])
    assert any("not in sentence B" in i.value for i in at.info)


def test_scores_temperature_sharpens_the_weights():
    at = open_page("lessons/scores_softmax.py")
    before = titled(at, "Attention weights")["data"][0]["z"]
    assert before[0][0] == pytest.approx(0.8, abs=0.02)
    at.slider[0].set_value(0.5).run()
    after = titled(at, "Attention weights")["data"][0]["z"]
    assert after[0][0] > before[0][0] + 0.1
    assert sum(after[0]) == pytest.approx(1.0)


def test_scores_writes_the_weighted_sum_out():
    at = open_page("lessons/scores_softmax.py")
    codes = [c.value for c in at.code]
    assert any(c.startswith("y_river = 0.8") and "*V_bank" in c for c in codes)
