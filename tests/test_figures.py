"""Figure builders: what the JSON says is what a class will see."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from attention import figures

WORDS = ["the", "bank", "by", "the", "river", "bank"]


def weights(n):
    rng = np.random.default_rng(n)
    w = rng.random((n, n))
    return w / w.sum(axis=1, keepdims=True)


def test_heatmap_rows_are_queries_in_reading_order():
    fig = figures.attention_heatmap(weights(6), WORDS, WORDS)
    spec = json.loads(fig.to_json())
    layout = spec["layout"]
    assert layout["yaxis"]["autorange"] == "reversed"
    assert layout["yaxis"]["ticktext"] == WORDS
    assert layout["yaxis"]["tickvals"] == list(range(6))
    assert layout["xaxis"]["ticktext"] == WORDS


def test_repeated_words_keep_their_own_cells():
    w = weights(6)
    heat = figures.attention_heatmap(w, WORDS, WORDS).data[0]
    assert np.asarray(heat.z).shape == (6, 6)
    np.testing.assert_allclose(np.asarray(heat.z), w)
    # x and y are positions, not labels, so "the" and "bank" are not merged
    assert heat.x is None and heat.y is None


def test_hover_names_query_key_and_row_sum():
    w = weights(3)
    heat = figures.attention_heatmap(w, ["a", "b", "c"], ["a", "b", "c"]).data[0]
    assert "%{customdata[0]} -> %{customdata[1]}: %{z:.3f}" in heat.hovertemplate
    custom = np.asarray(heat.customdata)
    assert custom[1, 2, 0] == "b" and custom[1, 2, 1] == "c"
    np.testing.assert_allclose(custom[:, 0, 2].astype(float), 1.0)


def test_cell_text_only_while_readable():
    small = figures.attention_heatmap(weights(3), list("abc"), list("abc")).data[0]
    assert small.text[0][0] == f"{weights(3)[0, 0]:.2f}"
    many = [str(i) for i in range(20)]
    big = figures.attention_heatmap(weights(20), many, many).data[0]
    assert big.text is None


def test_one_attention_scale_from_zero_to_one():
    heat = figures.attention_heatmap(weights(3), list("abc"), list("abc")).data[0]
    assert (heat.zmin, heat.zmax) == (0, 1)
    viridis = go.Heatmap(colorscale=figures.ATTENTION_SCALE).colorscale
    assert heat.colorscale == viridis


def test_heatmap_checks_shape():
    with pytest.raises(AssertionError, match="do not match"):
        figures.attention_heatmap(weights(3), list("ab"), list("abc"))


def test_signed_matrix_is_centred_on_zero():
    v = np.array([[-2.0, 1.0], [0.5, 0.0]])
    heat = figures.matrix_heatmap(v, ["x", "y"], ["p", "q"], "V").data[0]
    assert heat.zmid == 0 and heat.zmin == -2.0 and heat.zmax == 2.0


def test_match_arrows_thickness_follows_strength():
    fig = figures.match_arrows(
        [2.0, 0.5, 1.0],
        "bank",
        ["money", "bank", "grows"],
        "t",
        weights=[0.6, 0.1, 0.3],
    )
    lines = [t for t in fig.data if t.mode == "lines"]
    widths = [t.line.width for t in lines]
    assert widths[0] > widths[2] > widths[1]
    labels = [a.text for a in fig.layout.annotations]
    assert labels == ["2.00 → 0.60", "0.50 → 0.10", "1.00 → 0.30"]


def test_token_arrows_leave_out_weak_links():
    w = np.array([[0.9, 0.1], [0.5, 0.5]])
    fig = figures.token_arrows(w, ["a", "b"], "t", min_weight=0.2)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == 3


def test_labels_with_markup_are_shown_as_text():
    fig = figures.rnn_steps(["<b>hi</b>", "bank"])
    assert fig.layout.yaxis.ticktext[0] == "&lt;b&gt;hi&lt;/b&gt;"


def test_embedding_shift_arrow_runs_from_static_to_contextual():
    fig = figures.embedding_shift(
        "finance",
        "water",
        [("bank", 0.6, 0.6)],
        [("bank in A", (0.6, 0.6), (0.7, 0.4))],
        "t",
    )
    arrow = fig.layout.annotations[0]
    assert (arrow.ax, arrow.ay, arrow.x, arrow.y) == (0.6, 0.6, 0.7, 0.4)


def test_weighted_sum_bars_add_up_to_the_output():
    w = np.array([0.8, 0.15, 0.05])
    v = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    fig = figures.weighted_sum(
        w, v, ["river", "bank", "flows"], ["finance", "water"], "river"
    )
    bars = [t for t in fig.data if t.type == "bar"]
    total = np.sum([np.asarray(b.y) for b in bars], axis=0)
    np.testing.assert_allclose(total, w @ v)
    np.testing.assert_allclose(fig.data[-1].y, w @ v)


def test_effective_words_of_a_uniform_row_is_its_length():
    fig = figures.effective_words(np.full((2, 4), 0.25), ["a", "b"])
    np.testing.assert_allclose(fig.data[0].y, [4.0, 4.0])


def test_typed_markup_and_template_text_stay_text():
    words = ["<b>hi</b>", "%{x}", "bank"]
    heat = figures.attention_heatmap(weights(3), words, words, "<i>t</i>")
    assert heat.layout.yaxis.ticktext[0] == "&lt;b&gt;hi&lt;/b&gt;"
    assert heat.layout.title.text == "&lt;i&gt;t&lt;/i&gt;"
    assert heat.data[0].customdata[0][1][1] == "%{x}"
    arrows = figures.token_arrows(weights(3), words, "t")
    lines = [t for t in arrows.data if t.mode == "lines"]
    assert all(t.hovertemplate is None and t.hoverinfo == "text" for t in lines)
    assert lines[0].hovertext.startswith("&lt;b&gt;hi&lt;/b&gt; -> ")


def test_no_negative_zero_in_cells():
    heat = figures.matrix_heatmap([[-0.001, 0.5]], ["a"], ["x", "y"], "t").data[0]
    assert heat.text[0][0] == "0.00"


def test_repeated_words_keep_their_own_bars():
    words = ["the", "bank", "the"]
    row = figures.softmax_row([1.0, 2.0, 1.0], [0.2, 0.6, 0.2], words, "bank", 1.0)
    assert list(row.data[0].x) == [0, 1, 2]
    assert row.layout.xaxis.ticktext == tuple(words)
    assert row.data[1].yaxis == "y2"
    effective = figures.effective_words(np.full((3, 3), 1 / 3), words)
    assert list(effective.data[0].x) == [0, 1, 2]
