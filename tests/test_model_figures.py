"""The real model's figures, read back from their JSON."""

import numpy as np

from attention import model_figures


def uniform_attentions(n_layer, n_head, n):  # -> [n_layer, n_head, n, n]
    rng = np.random.default_rng(0)
    a = rng.random((n_layer, n_head, n, n))
    return a / a.sum(axis=-1, keepdims=True)


def test_head_grid_has_one_heatmap_per_head_on_one_scale():
    a = uniform_attentions(6, 12, 5)

    fig = model_figures.head_grid(a, "All heads", chosen=(3, 5))

    assert len(fig.data) == 72
    assert {t.type for t in fig.data} == {"heatmap"}
    assert {t.coloraxis for t in fig.data} == {"coloraxis"}
    assert all(t.text is None for t in fig.data)
    np.testing.assert_allclose(fig.data[2 * 12 + 4].z, np.round(a[2, 4], 3))
    assert "layer 3, head 5" in fig.data[2 * 12 + 4].hovertemplate
    assert fig.layout.coloraxis.cmin == 0 and fig.layout.coloraxis.cmax == 1

    # the outline sits on layer 3, head 5
    (shape,) = fig.layout.shapes
    assert shape.xref == fig.data[2 * 12 + 4].xaxis
    assert shape.yref == fig.data[2 * 12 + 4].yaxis


def test_head_grid_cuts_long_inputs():
    a = uniform_attentions(2, 3, model_figures.GRID_TOKENS + 8)
    fig = model_figures.head_grid(a, "All heads")
    assert np.shape(fig.data[0].z) == (model_figures.GRID_TOKENS,) * 2
    assert not fig.layout.shapes


def test_sense_map_groups_by_sense_and_draws_an_arrow_each():
    points = np.array([[1.0, 0.0], [1.2, 0.1], [-1.0, 0.5]])
    fig = model_figures.sense_map(
        points,
        [0.0, -2.0],
        ["money", "money", "<i>river</i>"],
        ["1. money", "2. money", "3. river"],
        ["a <b>bank</b>", "the bank", "river bank"],
        [0.6, 0.3],
        "bank",
    )

    names = [t.name for t in fig.data]
    assert names == ["money", "&lt;i&gt;river&lt;/i&gt;", "static vector"]
    np.testing.assert_allclose(fig.data[0].x, [1.0, 1.2])
    assert list(fig.data[0].customdata) == ["a &lt;b&gt;bank&lt;/b&gt;", "the bank"]
    assert list(fig.data[2].x) == [0.0] and list(fig.data[2].y) == [-2.0]

    # arrows start at the static point and end at each contextual one
    arrows = fig.layout.annotations
    assert [(a.ax, a.ay) for a in arrows] == [(0.0, -2.0)] * 3
    assert [(a.x, a.y) for a in arrows] == [tuple(p) for p in points]
    assert fig.layout.xaxis.title.text == "PC1 (60% of the variance)"
    assert fig.layout.yaxis.title.text == "PC2 (30% of the variance)"
