"""Links reopen a page's state; nonsense in a link gives a notice, not a crash."""

import json
import re

import pytest
from app_runs import open_page
from plotly_json import chart_specs
from streamlit.testing.v1 import AppTest


def raw_notices(at):
    return " ".join(w.value for w in at.warning if w.value.startswith("From the link"))


def notices(at):
    """The notice as a reader sees it: markdown escapes taken out."""
    return re.sub(r"\\(.)", r"\1", raw_notices(at))


def test_why_attention_reopens_sentence_length_and_strength():
    at = open_page(
        "lessons/why_attention.py",
        {"s": "money bank grows river flows", "n": "3", "r": "1.2"},
    )
    assert at.text_input[0].value == "money bank grows river flows"
    assert [s.value for s in at.slider] == [3, 1.2]
    assert not notices(at)
    assert at.query_params["n"] == "3"


def test_static_reopens_preset_and_word():
    at = open_page(
        "lessons/static_vs_contextual.py", {"preset": "apple", "word": "phone"}
    )
    assert at.text_input[0].value == "Apple launched a new phone"
    assert at.selectbox[1].value == "phone"


def test_scores_reopens_word_and_temperature():
    at = open_page("lessons/scores_softmax.py", {"word": "bank", "t": "0.5"})
    assert at.selectbox[0].value == "bank"
    assert at.slider[0].value == 0.5
    codes = [c.value for c in at.code]
    assert any(c.startswith("y_bank = ") for c in codes)


@pytest.mark.parametrize(
    "page, params, named",
    [
        ("lessons/why_attention.py", {"n": "999"}, "'n': '999' is outside 2 to 33"),
        ("lessons/why_attention.py", {"n": "-3"}, "'n'"),
        ("lessons/why_attention.py", {"r": "abc"}, "'r': 'abc' is not a number"),
        ("lessons/scores_softmax.py", {"t": "0"}, "'t': '0' is outside"),
        (
            "lessons/scores_softmax.py",
            {"word": "zebra"},
            "'word': 'zebra' is not one of",
        ),
        ("lessons/static_vs_contextual.py", {"preset": "pear"}, "'preset'"),
        ("lessons/query_key_value.py", {"foo": "bar"}, "'foo' is not a setting"),
        ("lessons/scores_softmax.py", {"s": "x" * 700}, "'s'"),
        ("lessons/scores_softmax.py", {"step": "2.5"}, "'step': '2.5' is not a whole"),
    ],
)
def test_nonsense_in_a_link_is_named_and_ignored(page, params, named):
    at = open_page(page, params)
    assert not at.exception
    assert named in notices(at)


def test_nonsense_presentation_flag_is_named():
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60)
    at.query_params["present"] = "false as text"
    at.run()
    assert "'present': 'false as text' is not on/off" in notices(at)
    assert not at.toggle[0].value


def test_a_bad_value_falls_back_to_the_default_not_a_clamp():
    at = open_page("lessons/why_attention.py", {"n": "999", "r": "0.5"})
    assert [s.value for s in at.slider] == [33, 0.5]


def test_false_as_text_is_off():
    at = open_page("lessons/scores_softmax.py", {"present": "false"})
    assert not at.button
    at = open_page("lessons/scores_softmax.py", {"present": "1", "step": "3"})
    assert "Step 3 of 4: Softmax" in " ".join(m.value for m in at.markdown)
    titles = [f["layout"]["title"]["text"] for f in chart_specs(at)]
    assert "Attention weights" in titles and "Q K^T" not in titles


def test_presentation_steps_forward_and_back():
    at = open_page("lessons/scores_softmax.py", {"present": "1"})
    assert "Step 1 of 4" in " ".join(m.value for m in at.markdown)
    next_button = next(b for b in at.button if b.label == "Next")
    next_button.click().run()
    assert "Step 2 of 4" in " ".join(m.value for m in at.markdown)
    assert at.query_params["step"] == "2"
    next(b for b in at.button if b.label == "Back").click().run()
    assert "Step 1 of 4" in " ".join(m.value for m in at.markdown)


def test_state_is_written_back_to_the_link():
    at = open_page("lessons/scores_softmax.py", {})
    at.slider[0].set_value(2.0).run()
    assert at.query_params["t"] == "2.0"
    assert at.query_params["s"] == "river bank flows"


def test_playground_reopens_layer_head_and_switch():
    at = open_page(
        "lessons/playground.py",
        {"s": "river bank", "layer": "4", "head": "7", "hide": "1"},
    )
    assert at.text_input[0].value == "river bank"
    assert [s.value for s in at.selectbox][:2] == [4, 7]
    assert at.toggle[0].value is True
    heat = chart_specs(at)[0]
    assert heat["layout"]["title"]["text"].startswith("Attention, layer 4, head 7")
    assert "[CLS]" not in heat["layout"]["yaxis"]["ticktext"]


@pytest.mark.parametrize(
    "params, named",
    [
        ({"layer": "0"}, "'layer': '0' is not one of"),
        ({"layer": "7"}, "'layer'"),
        ({"head": "13"}, "'head': '13' is not one of"),
        ({"head": "-1"}, "'head'"),
        ({"hide": "maybe"}, "'hide': 'maybe' is not on/off"),
    ],
)
def test_playground_nonsense_is_named(params, named):
    at = open_page("lessons/playground.py", params)
    assert not at.exception
    assert named in notices(at)
    assert [s.value for s in at.selectbox][:2] == [1, 1]


def test_polysemy_reopens_preset_and_layer():
    at = open_page("lessons/polysemy_lab.py", {"preset": "apple", "layer": "3"})
    assert at.text_input[0].value == "apple"
    assert at.slider[0].value == 3
    at = open_page("lessons/polysemy_lab.py", {"layer": "-1"})
    assert "'layer': '-1' is outside 0 to 6" in notices(at)
    assert at.slider[0].value == 6


def test_static_reopens_an_edited_table():
    table = "0.1,0.8,0.1;0.9,0.05,0.05;0.2,0.2,0.6"
    at = open_page("lessons/static_vs_contextual.py", {"ta": table})
    assert not notices(at)
    shown = [
        f for f in chart_specs(at) if f["layout"]["title"]["text"] == "Weights in use"
    ]
    assert shown[0]["data"][0]["z"][1] == pytest.approx([0.9, 0.05, 0.05])
    codes = " ".join(c.value for c in at.code)
    assert "y_bank = 0.90*e_money + 0.05*e_bank + 0.05*e_grows" in codes
    assert at.query_params["ta"] == table


def test_static_a_table_that_does_not_fit_is_named():
    at = open_page("lessons/static_vs_contextual.py", {"ta": "1,0;0,1"})
    assert "'ta': the table is not 3 x 3" in notices(at)
    shown = [
        f for f in chart_specs(at) if f["layout"]["title"]["text"] == "Weights in use"
    ]
    assert shown[0]["data"][0]["z"][1] == pytest.approx([0.25, 0.7, 0.05])
    assert "ta" not in at.query_params


def test_presentation_keeps_an_edited_table_through_the_steps():
    table = "0.1,0.8,0.1;0.9,0.05,0.05;0.2,0.2,0.6"
    at = open_page(
        "lessons/static_vs_contextual.py", {"present": "1", "step": "3", "ta": table}
    )
    codes = " ".join(c.value for c in at.code)
    assert "y_bank = 0.90*e_money" in codes
    assert at.query_params["ta"] == table
    assert not notices(at)


def test_a_step_that_hides_some_settings_keeps_them_in_the_link():
    at = open_page(
        "lessons/static_vs_contextual.py",
        {"present": "1", "step": "1", "x": "food", "y": "nature"},
    )
    assert not notices(at)
    assert (at.query_params["x"], at.query_params["y"]) == ("food", "nature")
    next(b for b in at.button if b.label == "Next").click().run()
    assert (at.query_params["x"], at.query_params["y"]) == ("food", "nature")


def test_an_early_stop_names_nothing_and_keeps_the_rest():
    at = open_page("lessons/scores_softmax.py", {"s": "?!", "t": "2.0"})
    assert not notices(at)
    assert at.query_params["t"] == "2.0"


@pytest.mark.parametrize(
    "page",
    [
        "lessons/why_attention.py",
        "lessons/scores_softmax.py",
        "lessons/query_key_value.py",
        "lessons/static_vs_contextual.py",
    ],
)
def test_presenting_a_sentence_with_no_words_still_works(page):
    at = open_page(page, {"present": "1", "s": "?!", "a": "?!", "b": "?!"})
    assert not at.exception
    assert any("at least" in i.value for i in at.info)
    assert at.expander[0].label == "Sentence and settings"


def test_two_words_need_no_length_slider():
    at = open_page("lessons/why_attention.py", {"s": "money bank"})
    assert not at.exception
    assert [s.label for s in at.slider] == [
        "Recurrent strength (spectral radius of W_h)"
    ]
    assert any("Sentence length (words read): 2" in c.value for c in at.caption)


def test_markup_in_a_link_is_shown_as_text():
    at = open_page(
        "lessons/scores_softmax.py", {"t": "[click](http://127.0.0.1:9/x) **b**"}
    )
    said = raw_notices(at)
    assert r"\[click\]\(http:/" + "\u200b" + r"/127\.0\.0\.1:9/x\) \*\*b\*\*" in said
    assert "://" not in said and "www." not in said


@pytest.mark.parametrize(
    "page", ["lessons/static_vs_contextual.py", "lessons/query_key_value.py"]
)
def test_an_empty_first_sentence_leaves_the_second_named_b(page):
    at = open_page(page, {"a": "", "b": "river bank flows"})
    titles = [f["layout"]["title"]["text"] for f in chart_specs(at)]
    headings = " | ".join(h.value for h in at.subheader)
    assert "sentence A" not in headings and "Sentence A" not in titles
    assert any("sentence B" in t or t == "Sentence B" for t in titles + [headings])


def test_polysemy_reopens_its_sentence_table():
    rows = json.dumps(
        [
            ["I paid the bank.", "money"],
            ["The bank of the river.", "river"],
            ["The bank lent money.", "money"],
        ]
    )
    at = open_page("lessons/polysemy_lab.py", {"preset": "bank", "rows": rows})
    assert not notices(at)
    similarity = [
        f for f in chart_specs(at) if "Cosine" in f["layout"]["title"]["text"]
    ]
    assert similarity[0]["layout"]["yaxis"]["ticktext"] == [
        "1. money",
        "2. river",
        "3. money",
    ]
    assert json.loads(at.query_params["rows"]) == json.loads(rows)


@pytest.mark.parametrize(
    "rows", ["[[1, 2]]", "not json", json.dumps([["a", "b", "c"]])]
)
def test_polysemy_a_table_it_cannot_read_is_named(rows):
    at = open_page("lessons/polysemy_lab.py", {"rows": rows})
    assert "'rows': the table" in notices(at)
    assert "rows" not in at.query_params


def test_a_table_kept_from_an_edit_comes_back_with_its_editor():
    at = open_page("lessons/static_vs_contextual.py", {"present": "1", "step": "3"})
    # what an edit at step 2 leaves behind, then Back to step 2
    at.session_state["static.ta"] = "0.1,0.8,0.1;0.9,0.05,0.05;0.2,0.2,0.6"
    at.session_state["static.ta.for"] = ("money", "bank", "grows")
    next(b for b in at.button if b.label == "Back").click().run()
    shown = [
        f for f in chart_specs(at) if f["layout"]["title"]["text"] == "Weights in use"
    ]
    assert shown[0]["data"][0]["z"][1] == pytest.approx([0.9, 0.05, 0.05])
    assert at.query_params["ta"] == "0.1,0.8,0.1;0.9,0.05,0.05;0.2,0.2,0.6"


def test_a_link_table_shown_at_a_later_step_is_cleaned_too():
    at = open_page(
        "lessons/static_vs_contextual.py",
        {"present": "1", "step": "3", "ta": "2,2,0;0,5,5;0,0,0"},
    )
    codes = " ".join(c.value for c in at.code)
    assert "y_bank = 0.00*e_money + 0.50*e_bank + 0.50*e_grows" in codes


@pytest.mark.parametrize("table", ["", "0.7,0.2,0.1;0.25,0.7,0.05;0.1,0.2,0.7"])
def test_a_table_equal_to_the_preset_is_no_unknown_setting(table):
    at = open_page("lessons/static_vs_contextual.py", {"ta": table})
    assert not notices(at)
    assert "ta" not in at.query_params


def test_the_same_axis_twice_still_draws():
    at = open_page("lessons/static_vs_contextual.py", {"x": "finance", "y": "finance"})
    assert not at.exception
    assert list(at.dataframe[-1].value.columns) == [
        "change across (finance)",
        "change up (finance)",
    ]
