"""Figure builders for the real model's pages; arrays in, a plotly Figure out.

Labels reach Plotly escaped (`figures._safe`), so typed markup shows as text.
"""

import numpy as np
import plotly.graph_objects as go

from attention.figures import (
    ATTENTION_SCALE,
    NEUTRAL,
    PAIR_COLOURS,
    _layout,
    _safe,
    arrow,
)

GRID_TOKENS = 32  # the overview draws at most this many tokens per head


def head_grid(attentions, title, chosen=None):  # [n_layer, n_head, n, n] -> Figure
    """Every head of every layer as one mosaic: layers down, heads across.

    Each head is an n x n block, blocks one empty cell apart, all on the
    attention scale. `chosen` (layer, head), counted from 1, is outlined.
    Longer inputs are cut to their first GRID_TOKENS tokens.
    """
    # NOTE: 72 full heatmaps of a 512-token input are some 19 million cells,
    # more than a browser draws in a blink; the overview shows the start only.
    a = np.asarray(attentions, dtype=float)[..., :GRID_TOKENS, :GRID_TOKENS]
    n_layer, n_head, n = a.shape[:3]
    step = n + 1

    # lay the heads out side by side, with a blank row and column between them
    z = np.full((n_layer * step - 1, n_head * step - 1), np.nan)
    where = np.zeros(z.shape + (4,), dtype=np.uint8)  # layer, head, query, key
    for layer in range(n_layer):
        for head in range(n_head):
            rows = slice(layer * step, layer * step + n)
            cols = slice(head * step, head * step + n)
            z[rows, cols] = a[layer, head]
            q, k = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
            where[rows, cols] = np.stack(
                [q * 0 + layer + 1, q * 0 + head + 1, q + 1, k + 1], axis=-1
            )

    fig = go.Figure(
        go.Heatmap(
            z=z.astype(np.float32),
            zmin=0,
            zmax=1,
            colorscale=ATTENTION_SCALE,
            colorbar=dict(title="weight"),
            customdata=where,
            hoverongaps=False,
            hovertemplate=(
                "layer %{customdata[0]}, head %{customdata[1]}<br>"
                "query %{customdata[2]}, key %{customdata[3]}: %{z:.2f}<extra></extra>"
            ),
        )
    )
    centres = [i * step + (n - 1) / 2 for i in range(max(n_layer, n_head))]
    fig.update_xaxes(
        tickvals=centres[:n_head],
        ticktext=[f"head {h + 1}" for h in range(n_head)],
        side="top",
        showgrid=False,
        zeroline=False,
        ticks="",
    )
    fig.update_yaxes(
        tickvals=centres[:n_layer],
        ticktext=[f"layer {i + 1}" for i in range(n_layer)],
        autorange="reversed",
        showgrid=False,
        zeroline=False,
        ticks="",
    )

    # the head open above, outlined
    if chosen is not None:
        layer, head = chosen
        x0, y0 = (head - 1) * step - 0.5, (layer - 1) * step - 0.5
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x0 + n,
            y0=y0,
            y1=y0 + n,
            line=dict(color="#d95f02", width=3),
        )
    return _layout(fig, title, height=560, top=90)


def sense_map(points, static_point, senses, labels, sentences, explained, title):
    """Contextual vectors in 2D by sense, each with an arrow from the static one.

    `points` [k, 2] and `static_point` [2] come from one PCA; `labels`,
    `senses` and `sentences` have one entry per point; `explained` is the share
    of variance on each axis.
    """
    p = np.asarray(points, dtype=float)
    fig = go.Figure()

    # one arrow per occurrence, from the static vector to where context took it
    colours = {}
    for sense in senses:
        colours.setdefault(sense, PAIR_COLOURS[len(colours) % len(PAIR_COLOURS)])
    for (x, y), sense in zip(p, senses, strict=True):
        arrow(fig, static_point, (x, y), colours[sense], width=1.5, opacity=0.6)

    # the contextual points, one legend entry per sense
    senses = np.asarray(senses, dtype=object)
    for sense, colour in colours.items():
        rows = np.flatnonzero(senses == sense)
        fig.add_trace(
            go.Scatter(
                x=p[rows, 0],
                y=p[rows, 1],
                mode="markers+text",
                name=_safe([sense])[0],
                text=_safe([labels[i] for i in rows]),
                textposition="top center",
                customdata=_safe([sentences[i] for i in rows]),
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
                marker=dict(size=13, color=colour),
            )
        )

    # the one static vector
    fig.add_trace(
        go.Scatter(
            x=[static_point[0]],
            y=[static_point[1]],
            mode="markers+text",
            name="static vector",
            text=["static"],
            textposition="bottom center",
            hovertemplate="the word-embedding row, before any context<extra></extra>",
            marker=dict(size=16, color=NEUTRAL, symbol="x"),
        )
    )

    fig.update_xaxes(title=f"PC1 ({explained[0]:.0%} of the variance)")
    fig.update_yaxes(title=f"PC2 ({explained[1]:.0%} of the variance)")
    fig.update_layout(legend=dict(orientation="h", y=-0.18))
    return _layout(fig, title, height=520)
