"""The real model's figures, read back from their JSON."""

import numpy as np

from attention import model_figures


def uniform_attentions(n_layer, n_head, n):  # -> [n_layer, n_head, n, n]
    rng = np.random.default_rng(0)
    a = rng.random((n_layer, n_head, n, n))
    return a / a.sum(axis=-1, keepdims=True)


def test_head_grid_lays_every_head_out_on_one_scale():
    rng = np.random.default_rng(0)
    a = rng.random((6, 12, 5, 5))
    a /= a.sum(axis=-1, keepdims=True)

    fig = model_figures.head_grid(a, "All heads", chosen=(3, 5))

    (heat,) = fig.data
    z = np.asarray(heat.z, dtype=float)
    assert z.shape == (6 * 6 - 1, 12 * 6 - 1)
    # layer 3, head 5 is the block at rows 12..16, columns 24..28
    np.testing.assert_allclose(z[12:17, 24:29], a[2, 4], atol=1e-7)
    assert np.isnan(z[5]).all() and np.isnan(z[:, 5]).all()
    assert (heat.zmin, heat.zmax) == (0, 1) and heat.text is None
    where = np.asarray(heat.customdata)
    assert list(where[13, 26]) == [3, 5, 2, 3]
    assert fig.layout.yaxis.ticktext[2] == "layer 3"
    assert fig.layout.xaxis.ticktext[4] == "head 5"

    # the outline sits on layer 3, head 5
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (23.5, 28.5, 11.5, 16.5)


def test_head_grid_cuts_long_inputs():
    a = uniform_attentions(2, 3, model_figures.GRID_TOKENS + 8)
    fig = model_figures.head_grid(a, "All heads")
    n = model_figures.GRID_TOKENS
    assert np.shape(fig.data[0].z) == (2 * (n + 1) - 1, 3 * (n + 1) - 1)
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
